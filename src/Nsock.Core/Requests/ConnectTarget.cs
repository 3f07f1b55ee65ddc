using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Nsock.Core;

/// <summary>
/// Where a connecting verb goes and how, as the user gave it (every front end the same way): the endpoint text
/// (<c>host:port</c>, <c>unix:/path</c>, <c>udp://...</c>) or a host and a port, the transport flag, the timeout
/// and the address family. The rules that turn these into an <see cref="Endpoint"/> and <see cref="ConnectOptions"/>
/// live here once; bad values are named in the front end's own spelling.
/// </summary>
public sealed record ConnectTarget
{
    /// <summary>Seconds a connect (and most waits) may take when no timeout is given.</summary>
    public const double DefaultTimeoutSeconds = 10;

    /// <summary>The most seconds a timeout (or any wait) may be: about 24.8 days, what the runtime's timers hold.</summary>
    public const double MaxTimeoutSeconds = Seconds.Max;

    /// <summary>The endpoint in nsock's syntax; or null when <see cref="Host"/> and <see cref="Port"/> are given.</summary>
    public string? Endpoint { get; init; }

    /// <summary>A host name or address (IPv6 without brackets is fine), with <see cref="Port"/>.</summary>
    public string? Host { get; init; }

    /// <summary>The port, with <see cref="Host"/>.</summary>
    public int? Port { get; init; }

    /// <summary>The UDP flag was given: an endpoint without a scheme is UDP, and one with a scheme must be.</summary>
    public bool Udp { get; init; }

    /// <summary>Seconds, as given; null when not given (the verb's default applies), 0 for never.</summary>
    public double? Timeout { get; init; }

    /// <summary>IPv4 only.</summary>
    public bool IPv4 { get; init; }

    /// <summary>IPv6 only.</summary>
    public bool IPv6 { get; init; }

    /// <summary>The local address to connect from as one text (the command's --source): <c>ADDR</c>, <c>ADDR:PORT</c>, <c>[v6addr]:PORT</c> or <c>:PORT</c>.</summary>
    public string? Source { get; init; }

    /// <summary>The local address to connect from, given apart from the port (PowerShell -SourceAddress): an IP address, not a name.</summary>
    public string? SourceAddress { get; init; }

    /// <summary>The local port to connect from, given apart from the address (PowerShell -SourcePort); 0 or null: the OS picks.</summary>
    public int? SourcePort { get; init; }

    /// <summary>TLS on the connection (a <c>tls://host:port</c> endpoint says it too); only the verbs that speak TLS take it.</summary>
    public bool Tls { get; init; }

    /// <summary>The TLS server name to send and verify the certificate for (default: the host).</summary>
    public string? Sni { get; init; }

    /// <summary>A PEM file of CA certificates that replace the system store for verifying the server.</summary>
    public string? CaFile { get; init; }

    /// <summary>Do not verify the server's certificate (what it would have said is still reported).</summary>
    public bool Insecure { get; init; }

    /// <summary>Public key pins, comma-separated <c>sha256:BASE64</c> (the SHA-256 of the server's SubjectPublicKeyInfo, as
    /// curl's --pinnedpubkey): the server's key must be one of them, and then the chain need not verify.</summary>
    public string? Pin { get; init; }

    /// <summary>The application protocols to offer (ALPN), comma-separated, in order of preference (<c>h2,http/1.1</c>).</summary>
    public string? Alpn { get; init; }

    /// <summary>My certificate for mutual TLS: a PEM file (with <see cref="KeyFile"/>, or the key in it) or PKCS#12/PFX.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; init; }

    /// <summary>The password of a PKCS#12/PFX <see cref="CertificateFile"/> or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>My certificate for mutual TLS as an object with its private key (PowerShell -Certificate); not with <see cref="CertificateFile"/>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The proxy to connect through, as the user wrote it: <c>socks5://[user:pass@]host:port</c> (<c>socks5h://</c>
    /// the same) or <c>http://[user:pass@]host:port</c> (HTTP CONNECT); null: connect directly. TCP targets only.
    /// </summary>
    public string? Proxy { get; init; }

    /// <summary>The proxy's user name and password when not in <see cref="Proxy"/>'s URL (PowerShell's -ProxyCredential).</summary>
    public NetworkCredential? ProxyCredential { get; init; }

    /// <summary><c>host:port</c>, with brackets around an IPv6 address; <c>:port</c> without a host.</summary>
    public static string Join(string? host, int port)
    {
        string h = (host ?? "").Trim();
        string p = port.ToString(CultureInfo.InvariantCulture);
        if (h.Length == 0) return ":" + p;
        if (h.IndexOf(':') >= 0 && !h.StartsWith("[", StringComparison.Ordinal)) h = "[" + h + "]";
        return h + ":" + p;
    }

    /// <summary>
    /// The one rule for a number of seconds a user gives (a timeout, a wait, a lifetime), for a face that checks a
    /// value of its own (the command's --timeout at parse time, New-SocketListener -Timeout): null when
    /// <paramref name="seconds"/> is fine, else the message naming <paramref name="option"/>.
    /// </summary>
    public static string? SecondsProblem(double seconds, string option) => Seconds.InRange(seconds) ? null : Seconds.OutOfRange(option, seconds);

    /// <summary>The target as the user wrote it, for messages.</summary>
    public override string ToString() => Endpoint ?? (Host is null ? "" : Port is int p ? Join(Host, p) : Host);

    /// <summary>
    /// The endpoint to connect to. Without a scheme it is <paramref name="transport"/>; <paramref name="flag"/>, when the
    /// user gave that transport's flag (--udp, --tcp), says a scheme must agree with it.
    /// </summary>
    internal Endpoint ParseEndpoint(IOptionNames names, Transport transport, NsockOption? flag)
    {
        if (Endpoint is not null && (Host is not null || Port is not null))
            throw NsockException.BadInput($"give {names.Option(NsockOption.Endpoint)} alone, or {names.Option(NsockOption.Host)} and {names.Option(NsockOption.Port)}; not both");
        if (Endpoint is null && Host is null)
            throw NsockException.BadInput($"give {names.Option(NsockOption.Host)} and {names.Option(NsockOption.Port)}, or {names.Option(NsockOption.Endpoint)}");
        string text = Endpoint ?? Join(Host, Port ?? throw NsockException.BadInput($"give {names.Option(NsockOption.Port)} with {names.Option(NsockOption.Host)}, or {names.Option(NsockOption.Endpoint)}"));
        Endpoint ep = ParseAs(text, transport, flag, names);
        if (Proxy is not null && ep.Transport != Transport.Tcp)
            throw NsockException.BadInput($"{names.Option(NsockOption.Proxy)} carries TCP only, not {(ep.Transport == Transport.Udp ? "UDP" : "a Unix socket")} ('{ep}')");
        return ep;
    }

    /// <summary>
    /// As <see cref="ParseEndpoint"/> for a verb that speaks TLS: a <c>tls://</c> endpoint is TCP with TLS, and with
    /// <see cref="Tls"/> a scheme must be tls:// (as with --udp, a scheme must agree with the flag).
    /// </summary>
    internal (Endpoint Endpoint, TlsClient? Tls) ParseTlsEndpoint(IOptionNames names, Transport transport, NsockOption? flag)
    {
        const string Scheme = "tls://";
        string? text = Endpoint?.Trim();
        bool tlsScheme = text is not null && text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);
        Endpoint ep;
        if (tlsScheme)
        {
            if (flag is NsockOption given) throw NsockException.BadInput($"'{Endpoint}' names a TLS (tcp) endpoint, but {names.Option(given)} was given");
            if (Host is not null || Port is not null)
                throw NsockException.BadInput($"give {names.Option(NsockOption.Endpoint)} alone, or {names.Option(NsockOption.Host)} and {names.Option(NsockOption.Port)}; not both");
            string rest = text!.Substring(Scheme.Length);
            if (rest.IndexOf("://", StringComparison.Ordinal) >= 0 || rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
                throw NsockException.BadInput($"'{Endpoint}': tls:// takes host:port");
            ep = EndpointParser.Parse(rest, Transport.Tcp);
        }
        else
        {
            ep = ParseEndpoint(names, transport, flag);
            if (Tls && text is not null && text.IndexOf("://", StringComparison.Ordinal) >= 0)
                throw NsockException.BadInput($"'{Endpoint}' names a {ep.Transport.ToText()} endpoint, but {names.Option(NsockOption.Tls)} was given (write tls://host:port or host:port)");
        }
        return (ep, TlsClient.From(this, Tls || tlsScheme, ep, names));
    }

    /// <summary>
    /// <paramref name="text"/> as an endpoint, <paramref name="transport"/> when it has no scheme; when the user gave
    /// that transport's <paramref name="flag"/> (--udp, --tcp), a scheme must agree with it. Connecting and listening
    /// verbs read their endpoint through this one rule.
    /// </summary>
    internal static Endpoint ParseAs(string text, Transport transport, NsockOption? flag, IOptionNames names)
    {
        Endpoint ep = EndpointParser.Parse(text, transport);
        if (flag is NsockOption given && ep.Transport != transport)
            throw NsockException.BadInput($"'{text}' names a {ep.Transport.ToText()} endpoint, but {names.Option(given)} was given");
        return ep;
    }

    /// <summary>The family: -4 and -6 exclude each other.</summary>
    internal IpVersion Family(IOptionNames names)
    {
        if (IPv4 && IPv6) throw NsockException.BadInput($"{names.Option(NsockOption.IPv4)} and {names.Option(NsockOption.IPv6)} exclude each other: give one");
        return IPv4 ? IpVersion.V4 : IPv6 ? IpVersion.V6 : IpVersion.Any;
    }

    /// <summary>The timeout in force: <see cref="DefaultTimeoutSeconds"/> when not given, null for 0 (never).</summary>
    internal TimeSpan? TimeoutOrDefault(IOptionNames names)
    {
        double s = Checked(names) ?? DefaultTimeoutSeconds;
        return s == 0 ? null : TimeSpan.FromSeconds(s);
    }

    /// <summary>Only a timeout the user gave: null when not given, infinite for 0 (the verb keeps its own default).</summary>
    internal TimeSpan? ExplicitTimeout(IOptionNames names)
    {
        double? s = Checked(names);
        if (s is null) return null;
        return s == 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(s.Value);
    }

    /// <summary>Connect options: the family, the timeout in force (0: the OS's own limit on a connect) and the source.</summary>
    internal ConnectOptions ConnectOptions(IOptionNames names)
    {
        (IPAddress? address, int port) = SourceParts(names);
        var options = new ConnectOptions
        {
            IpVersion = Family(names),
            Timeout = TimeoutOrDefault(names) ?? System.Threading.Timeout.InfiniteTimeSpan,
            SourceAddress = address,
            SourcePort = port,
            Proxy = ProxyServerOrNull(names),
        };
        if (address is not null && options.IpVersion != IpVersion.Any && (address.AddressFamily == AddressFamily.InterNetworkV6) != (options.IpVersion == IpVersion.V6))
            throw NsockException.BadInput($"{names.Option(NsockOption.Source)} {address} is {(address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")}, but {names.Option(options.IpVersion == IpVersion.V4 ? NsockOption.IPv4 : NsockOption.IPv6)} was given");
        return options;
    }

    /// <summary>
    /// The source as an address (null: any) and a port (0: any). One text (<c>ADDR</c>, <c>ADDR:PORT</c>,
    /// <c>[v6addr]:PORT</c>, <c>:PORT</c>; a bare IPv6 address is an address) or an address and a port apart.
    /// The address must be an IP address of this machine: a name is not resolved (which of its addresses would be meant?).
    /// </summary>
    internal (IPAddress? Address, int Port) SourceParts(IOptionNames names)
    {
        if (Source is not null && (SourceAddress is not null || SourcePort is not null))
            throw NsockException.BadInput($"give {names.Option(NsockOption.Source)} alone, or {names.Option(NsockOption.SourceAddress)} and {names.Option(NsockOption.SourcePort)}; not both");
        if (Source is null)
        {
            int port = SourcePort ?? 0;
            if (port is < 0 or > 65535) throw NsockException.BadInput($"{names.Option(NsockOption.SourcePort)} must be 0-65535, not {port}");
            return (SourceAddress is null ? null : SourceIp(SourceAddress, NsockOption.SourceAddress, names), port);
        }

        string text = Source.Trim();
        string option = names.Option(NsockOption.Source);
        if (text.Length == 0) throw NsockException.BadInput($"{option} is empty: give ADDR, ADDR:PORT, [v6addr]:PORT or :PORT");
        string? addressText;
        string? portText = null;
        if (text.StartsWith("[", StringComparison.Ordinal))
        {
            int close = text.IndexOf(']');
            if (close < 0) throw NsockException.BadInput($"{option} '{text}': no ']' after the IPv6 address");
            addressText = text.Substring(1, close - 1);
            string rest = text.Substring(close + 1);
            if (rest.Length > 0)
            {
                if (rest[0] != ':') throw NsockException.BadInput($"{option} '{text}': expected ':PORT' after ']'");
                portText = rest.Substring(1);
            }
        }
        else
        {
            int first = text.IndexOf(':');
            int last = text.LastIndexOf(':');
            if (first >= 0 && first == last)
            {
                addressText = text.Substring(0, first);
                portText = text.Substring(first + 1);
            }
            else
            {
                addressText = text; // no colon: IPv4; several: a bare IPv6 address
            }
        }

        int sourcePort = 0;
        if (portText is not null && !(int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out sourcePort) && sourcePort <= 65535))
            throw NsockException.BadInput($"{option} '{text}': the port must be a number 0-65535, not '{NsockText.Printable(portText)}'");
        IPAddress? sourceAddress = addressText.Length == 0 ? null : SourceIp(addressText, NsockOption.Source, names);
        return (sourceAddress, sourcePort);
    }

    /// <summary>The proxy parsed and checked (<see cref="Proxy"/> with <see cref="ProxyCredential"/>); null when none is given.</summary>
    internal ProxyServer? ProxyServerOrNull(IOptionNames names)
    {
        if (Proxy is null)
        {
            if (ProxyCredential is not null) throw NsockException.BadInput($"{names.Option(NsockOption.ProxyCredential)} needs {names.Option(NsockOption.Proxy)}");
            return null;
        }
        return ProxyServer.Parse(Proxy, ProxyCredential, names.Option(NsockOption.Proxy), names.Option(NsockOption.ProxyCredential));
    }

    private static IPAddress SourceIp(string text, NsockOption option, IOptionNames names)
    {
        string t = text.Trim();
        if (t.StartsWith("[", StringComparison.Ordinal) && t.EndsWith("]", StringComparison.Ordinal)) t = t.Substring(1, t.Length - 2);
        // IPAddress.TryParse takes "4000" as 0.0.15.160: an IPv4 source must be written in full (four numbers),
        // so a port given alone by mistake is named as such.
        bool fullV4 = t.IndexOf(':') >= 0 || t.Split('.').Length == 4;
        if (!fullV4 || !IPAddress.TryParse(t, out IPAddress? address))
            throw NsockException.BadInput($"{names.Option(option)} '{NsockText.Printable(text)}' is not an IP address (a source is an address of this machine, not a name; a port alone is written :PORT)");
        return address;
    }

    private double? Checked(IOptionNames names)
    {
        return Seconds.Check(Timeout, names.Option(NsockOption.Timeout));
    }
}
