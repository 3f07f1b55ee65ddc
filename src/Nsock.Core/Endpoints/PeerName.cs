using System.Net;
using System.Net.Sockets;

namespace Nsock.Core;

/// <summary>
/// How addresses are written in events and messages: IPv4-mapped addresses as plain IPv4, IPv6 in brackets,
/// Unix peers by path (clients of a Unix listener are usually unnamed).
/// </summary>
internal static class PeerName
{
    /// <summary>The endpoint as text, e.g. <c>127.0.0.1:80</c>, <c>[::1]:80</c>, <c>unix:/run/x.sock</c>.</summary>
    public static string Of(EndPoint? endPoint)
    {
        switch (endPoint)
        {
            case IPEndPoint ip:
                IPAddress a = CidrBlock.Normalize(ip.Address);
                return a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]:{ip.Port}" : $"{a}:{ip.Port}";
            case null:
                return "unknown";
            default:
                string text = endPoint.ToString() ?? "";
                return text.Length == 0 ? "unix:(unnamed)" : "unix:" + text;
        }
    }
}
