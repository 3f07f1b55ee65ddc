using System.Globalization;

namespace Nsock.PowerShell;

// Byte counts and rates for progress text, in PowerShell's units (1KB = 1024).
internal static class Sizes
{
    public static string Bytes(double bytes)
    {
        string[] units = { "B", "KB", "MB", "GB", "TB" };
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }
        return (u == 0 ? bytes.ToString("0", CultureInfo.InvariantCulture) : bytes.ToString("0.0", CultureInfo.InvariantCulture)) + " " + units[u];
    }

    public static string Rate(double bytesPerSecond) => Bytes(bytesPerSecond) + "/s";
}
