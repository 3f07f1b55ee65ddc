using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Nsock.Core;

/// <summary>
/// The one endpoint parser every command and cmdlet uses. Accepts <c>host:port</c>, <c>[v6addr]:port</c>,
/// <c>port</c> or <c>:port</c> (every interface), <c>unix:/path</c>, with an optional <c>tcp://</c>,
/// <c>udp://</c> or <c>unix://</c> scheme. Bad input fails here, before any socket exists, with a
/// <see cref="NsockErrorKind.BadInput"/> error that names the bad part.
/// </summary>
public static class EndpointParser
{
    // sockaddr_un.sun_path: 104 bytes on macOS and the BSDs, 108 on Linux and Windows; one goes to the closing NUL.
    private static readonly int MaxUnixPathBytes =
        (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX)
         || System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Create("FREEBSD")) ? 104 : 108) - 1;

    /// <summary>Parses <paramref name="text"/>; <paramref name="defaultTransport"/> applies when it has no scheme.</summary>
    public static Endpoint Parse(string text, Transport defaultTransport = Transport.Tcp)
    {
        if (text is null) throw NsockException.BadInput("endpoint is missing");
        string s = text.Trim();
        if (s.Length == 0) throw NsockException.BadInput("endpoint is empty");

        Transport transport = defaultTransport;
        int schemeEnd = s.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            string scheme = s.Substring(0, schemeEnd);
            transport = scheme.ToLowerInvariant() switch
            {
                "tcp" => Transport.Tcp,
                "udp" => Transport.Udp,
                "unix" => Transport.Unix,
                _ => throw NsockException.BadInput(
                    $"unknown scheme '{scheme}' in '{text}' (use tcp://, udp:// or unix://)"),
            };
            s = s.Substring(schemeEnd + 3);
        }
        else if (s.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            transport = Transport.Unix;
            s = s.Substring(5);
        }

        if (transport == Transport.Unix)
        {
            if (s.Length == 0) throw NsockException.BadInput($"unix socket path is empty in '{text}'");
            if (s.IndexOf('\0') >= 0) throw NsockException.BadInput($"unix socket path contains a NUL byte in '{text}'");
            int bytes = System.Text.Encoding.UTF8.GetByteCount(s);
            if (bytes > MaxUnixPathBytes)
                throw NsockException.BadInput($"unix socket path is {bytes.ToString(CultureInfo.InvariantCulture)} bytes in '{text}'; the OS allows at most {MaxUnixPathBytes.ToString(CultureInfo.InvariantCulture)} (use a shorter path or a relative one)");
            return new Endpoint(Transport.Unix, null, 0, s);
        }

        (string? host, string portText) = SplitHostPort(s, text);
        int port = ParsePort(portText, text);
        if (host is not null) ValidateHost(host, text);
        return new Endpoint(transport, host, port);
    }

    /// <summary>Parses a port number 0-65535, naming the bad part on error.</summary>
    public static int ParsePort(string portText, string context)
    {
        if (portText.Length == 0) throw NsockException.BadInput($"port is missing in '{context}' (use host:port)");
        foreach (char c in portText)
        {
            if (c < '0' || c > '9') throw NsockException.BadInput($"'{portText}' is not a port number in '{context}'");
        }
        if (portText.Length > 5 || int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture) > 65535)
            throw NsockException.BadInput($"port {portText} is out of range (0-65535) in '{context}'");
        return int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static (string? Host, string Port) SplitHostPort(string s, string original)
    {
        if (s.StartsWith("[", StringComparison.Ordinal))
        {
            int close = s.IndexOf(']');
            if (close < 0) throw NsockException.BadInput($"missing ']' after the IPv6 address in '{original}'");
            string inside = s.Substring(1, close - 1);
            if (!IPAddress.TryParse(inside, out IPAddress? a) || a.AddressFamily != AddressFamily.InterNetworkV6)
                throw NsockException.BadInput($"'[{inside}]' is not an IPv6 address in '{original}'");
            string rest = s.Substring(close + 1);
            if (!rest.StartsWith(":", StringComparison.Ordinal))
                throw NsockException.BadInput($"port is missing after '[{inside}]' in '{original}' (use [addr]:port)");
            return (inside, rest.Substring(1));
        }

        int colon = s.LastIndexOf(':');
        if (colon < 0)
        {
            if (IsAllDigits(s)) return (null, s);
            throw NsockException.BadInput($"port is missing in '{original}' (use host:port)");
        }
        if (s.IndexOf(':') != colon)
            throw NsockException.BadInput($"IPv6 addresses need brackets in '{original}' (use [addr]:port)");

        string hostPart = s.Substring(0, colon);
        string portPart = s.Substring(colon + 1);
        if (portPart.Length == 0) throw NsockException.BadInput($"port is missing after '{hostPart}:' in '{original}'");
        return (hostPart.Length == 0 ? null : hostPart, portPart);
    }

    private static void ValidateHost(string host, string original)
    {
        if (IPAddress.TryParse(host, out _)) return;
        if (host.Length > 253) throw NsockException.BadInput($"host name is longer than 253 characters in '{original}'");
        foreach (char c in host)
        {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
            if (!ok) throw NsockException.BadInput($"host '{host}' contains '{c}', which no host name may contain, in '{original}'");
        }
        if (host.StartsWith(".", StringComparison.Ordinal) || host.Contains(".."))
            throw NsockException.BadInput($"host '{host}' has an empty label in '{original}'");
    }

    private static bool IsAllDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (char c in s)
        {
            if (c < '0' || c > '9') return false;
        }
        return true;
    }
}
