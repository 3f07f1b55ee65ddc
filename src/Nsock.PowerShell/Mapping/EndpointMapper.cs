using System.Globalization;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <c>-ComputerName</c>/<c>-Port</c> or <c>-Endpoint</c> to an engine endpoint. Both go through the command's
/// one parser (EndpointParser), so every form and every error message is the same; -Udp applies to an endpoint
/// without a scheme and must agree with one that has it, as --udp does.
/// </summary>
internal static class EndpointMapper
{
    /// <summary>An endpoint to listen on: no address means every interface.</summary>
    public static Endpoint ForListen(string? endpoint, string? localAddress, int? port, bool udp) =>
        Parse(endpoint, localAddress, port, udp ? Transport.Udp : Transport.Tcp, udp ? "-Udp" : null);

    /// <summary>A peer to connect to: as <see cref="Parse"/>, but a host or an endpoint must be given.</summary>
    public static Endpoint ParseTarget(string? endpoint, string? host, int? port, Transport transport, string? flag)
    {
        if (endpoint is null && host is null) throw BadInput.Error("give -ComputerName and -Port, or -Endpoint");
        return Parse(endpoint, host, port, transport, flag);
    }

    /// <summary>
    /// Parses <paramref name="endpoint"/>, or host and port joined as the parser reads them. When <paramref name="flag"/>
    /// is given, the endpoint must be of <paramref name="transport"/> (a scheme saying otherwise is bad input).
    /// </summary>
    public static Endpoint Parse(string? endpoint, string? host, int? port, Transport transport, string? flag)
    {
        if (endpoint is not null && (host is not null || port is not null)) throw BadInput.Error("give -Endpoint alone, or a host and -Port; not both");
        string text = endpoint ?? Join(host, port ?? throw BadInput.Error("give -Port (with -ComputerName) or -Endpoint"));
        Endpoint ep = EndpointParser.Parse(text, transport);
        if (flag is not null && ep.Transport != transport)
            throw BadInput.Error($"'{text}' names a {ep.Transport.ToString().ToLowerInvariant()} endpoint, but {flag} was given");
        return ep;
    }

    /// <summary><c>host:port</c>, with brackets around an IPv6 address; <c>:port</c> without a host.</summary>
    public static string Join(string? host, int port)
    {
        string h = (host ?? "").Trim();
        string p = port.ToString(CultureInfo.InvariantCulture);
        if (h.Length == 0) return ":" + p;
        if (h.IndexOf(':') >= 0 && !h.StartsWith("[", System.StringComparison.Ordinal)) h = "[" + h + "]";
        return h + ":" + p;
    }
}
