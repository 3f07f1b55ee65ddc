using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>-IPv4 / -IPv6 as the command's -4 / -6.</summary>
internal static class IpVersions
{
    public static IpVersion From(bool ipv4, bool ipv6)
    {
        if (ipv4 && ipv6) throw BadInput.Error("-IPv4 and -IPv6 exclude each other: give one");
        return ipv4 ? IpVersion.V4 : ipv6 ? IpVersion.V6 : IpVersion.Any;
    }
}
