using System;
using System.Globalization;
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
        return ParseAs(text, transport, flag, names);
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

    /// <summary>Connect options: the family, and the timeout in force (0: the OS's own limit on a connect).</summary>
    internal ConnectOptions ConnectOptions(IOptionNames names) =>
        new() { IpVersion = Family(names), Timeout = TimeoutOrDefault(names) ?? System.Threading.Timeout.InfiniteTimeSpan };

    private double? Checked(IOptionNames names)
    {
        return Seconds.Check(Timeout, names.Option(NsockOption.Timeout));
    }
}
