using System;
using System.IO;
#if NET
using System.Runtime.Versioning;
#endif

namespace Nsock.Core;

// The permission bits a received file may get: what the sender announces, masked by the receiver's umask, never
// setuid, setgid or sticky. A sender's 0777 becomes 0755 under umask 022, as tar and scp do for a user (not root).
internal static class ReceivedMode
{
    private const uint PermissionBits = 0x1FF; // 0777

    // The process umask, read without changing it (umask(2) can only be read by setting it, a race with every
    // thread creating files): Linux says it in /proc/self/status ("Umask:\t0022", since 4.7). Null elsewhere.
    private static readonly Lazy<uint?> s_umask = new(ReadUmask);

    /// <summary>The bits of <paramref name="announced"/> that may be set on <paramref name="created"/>, a file this process created.</summary>
#if NET
    [UnsupportedOSPlatform("windows")]
#endif
    public static uint Allowed(uint announced, string created) => announced & PermissionBits & Permitted(created);

#if NET
    [UnsupportedOSPlatform("windows")]
#endif
    private static uint Permitted(string created)
    {
        if (s_umask.Value is uint umask) return PermissionBits & ~umask;
#if NET
        // Without /proc: the file was created 0666 & ~umask, which shows the umask's read and write bits; execute
        // is allowed where read is.
        uint rw = (uint)File.GetUnixFileMode(created) & 0x1B6; // 0666
        return rw | ((rw & 0x124) >> 2);
#else
        return 0x1ED; // 0755
#endif
    }

    private static uint? ReadUmask()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("Umask:", StringComparison.Ordinal)) continue;
                return Convert.ToUInt32(line.Substring(6).Trim(), 8) & PermissionBits;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
        }
        return null;
    }
}
