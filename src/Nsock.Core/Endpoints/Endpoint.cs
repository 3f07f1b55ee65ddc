using System.Globalization;

namespace Nsock.Core;

/// <summary>
/// Where to connect or listen: a host and port for TCP and UDP (a null host means every interface, for a
/// listener), or a path for a Unix domain socket. Made by <see cref="EndpointParser"/>.
/// </summary>
public sealed record Endpoint(Transport Transport, string? Host, int Port, string? UnixPath = null)
{
    /// <summary>True when no host was given (<c>:port</c> or <c>port</c>): listen on every interface.</summary>
    public bool IsAnyHost => Transport != Transport.Unix && string.IsNullOrEmpty(Host);

    /// <summary>The same endpoint with another transport (used for --udp on a scheme-less endpoint).</summary>
    public Endpoint WithTransport(Transport transport) => this with { Transport = transport };

    /// <summary>The endpoint as the user would write it, with its scheme: <c>tcp://host:port</c>, <c>unix:/path</c>.</summary>
    public override string ToString()
    {
        // "unix:PATH" unless PATH would then read as another scheme ("udp://x") or lose its leading slashes ("//x"):
        // then "unix://PATH", which always parses back to PATH (found by ParserPropertyTests).
        if (Transport == Transport.Unix)
        {
            string path = UnixPath ?? "";
            return (path.IndexOf("://", System.StringComparison.Ordinal) >= 0 || path.StartsWith("//", System.StringComparison.Ordinal) ? "unix://" : "unix:") + path;
        }
        string scheme = Transport == Transport.Udp ? "udp" : "tcp";
        string host = Host ?? "";
        if (host.IndexOf(':') >= 0) host = "[" + host + "]";
        return scheme + "://" + host + ":" + Port.ToString(CultureInfo.InvariantCulture);
    }
}
