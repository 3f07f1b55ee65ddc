using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Which ports answer, over TCP or UDP, or <see cref="Wait"/> until they do (<c>nsock probe</c>, <c>Test-SocketPort</c>).
/// The targets come as rows of hosts by ports (the command gives one; the cmdlet one per pipeline record) or as
/// <c>host:port</c> endpoints. <see cref="Validate"/> checks everything, without resolving a name or opening anything.
/// </summary>
public sealed record ProbeRequest
{
    /// <summary>The most probes in flight at once.</summary>
    public const int MaxParallel = 100_000;

    /// <summary>Rows of names, addresses or CIDR blocks and the ports to probe on each, in the order results are reported.</summary>
    public IReadOnlyList<PortProbeGroup> Groups { get; init; } = Array.Empty<PortProbeGroup>();

    /// <summary><c>host:port</c> endpoints in nsock's syntax (a scheme must agree with <see cref="Udp"/>), each a row; instead of <see cref="Groups"/>.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = Array.Empty<string>();

    /// <summary>UDP probes: a reply is open, ICMP port unreachable closed, silence open|filtered.</summary>
    public bool Udp { get; init; }

    /// <summary>
    /// Seconds, as given (null: not given). Per probe (1 s unless given; 0 is refused); with <see cref="Wait"/> the
    /// whole wait (<see cref="ConnectTarget.DefaultTimeoutSeconds"/> unless given; 0: no limit).
    /// </summary>
    public double? Timeout { get; init; }

    /// <summary>Probes in flight at once (null: the engine's 100).</summary>
    public int? Parallel { get; init; }

    /// <summary>Probe each port again until it is open or the timeout has passed.</summary>
    public bool Wait { get; init; }

    /// <summary>IPv4 only.</summary>
    public bool IPv4 { get; init; }

    /// <summary>IPv6 only.</summary>
    public bool IPv6 { get; init; }

    /// <summary>The local address (and port) to probe from, as one text: see <see cref="ConnectTarget.Source"/>.</summary>
    public string? Source { get; init; }

    /// <summary>The local address to probe from, apart from the port: see <see cref="ConnectTarget.SourceAddress"/>.</summary>
    public string? SourceAddress { get; init; }

    /// <summary>The local port to probe from: see <see cref="ConnectTarget.SourcePort"/>.</summary>
    public int? SourcePort { get; init; }

    /// <summary>Look at every open TCP port with a TLS handshake: does it speak TLS, whose certificate, when it expires, does it verify.</summary>
    public bool Tls { get; init; }

    /// <summary>With <see cref="Tls"/>: a PEM file of CAs to verify against instead of the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>With <see cref="Tls"/>: the server name to ask for and verify (default: each target's name).</summary>
    public string? Sni { get; init; }

    /// <summary>With <see cref="Tls"/>: the probe fails (<see cref="ProbeOutcome.ExpiringSoon"/>) when a certificate expires within this many days (or has expired).</summary>
    public double? ExpiresWithinDays { get; init; }

    /// <summary>The proxy TCP probes go through: see <see cref="ConnectTarget.Proxy"/>. Each probe asks the proxy for the target; UDP probes cannot take one.</summary>
    public string? Proxy { get; init; }

    /// <summary>The proxy's user name and password when not in <see cref="Proxy"/>'s URL: see <see cref="ConnectTarget.ProxyCredential"/>.</summary>
    public System.Net.NetworkCredential? ProxyCredential { get; init; }

    /// <summary>Checks every value (named as <paramref name="names"/> spells them) before anything is resolved or opened.</summary>
    public ProbePlan Validate(IOptionNames names)
    {
        var defaults = new PortProbeOptions();
        // The timeout, -4/-6: the connecting verbs' rules, read as a probe reads them.
        var shared = new ConnectTarget { Timeout = Timeout, IPv4 = IPv4, IPv6 = IPv6, Source = Source, SourceAddress = SourceAddress, SourcePort = SourcePort, Proxy = Proxy, ProxyCredential = ProxyCredential };
        ConnectOptions source = shared.ConnectOptions(names); // the source, checked against -4/-6
        TimeSpan? given = shared.ExplicitTimeout(names);
        if (!Wait && given == System.Threading.Timeout.InfiniteTimeSpan)
            throw NsockException.BadInput($"{names.Option(NsockOption.Timeout)} must be more than 0 seconds for a probe (0, no limit, is for {names.Option(NsockOption.Wait)} only)");
        if (Parallel is int p && (p < 1 || p > MaxParallel))
            throw NsockException.BadInput($"{names.Option(NsockOption.Parallel)} must be 1-{MaxParallel.ToString(CultureInfo.InvariantCulture)}, not {p.ToString(CultureInfo.InvariantCulture)}");
        if (Udp && Proxy is not null) throw NsockException.BadInput($"{names.Option(NsockOption.Proxy)} carries TCP only: it cannot take UDP probes ({names.Option(NsockOption.Udp)})");
        IReadOnlyList<PortProbeGroup> groups = Rows(names);
        var options = new PortProbeOptions
        {
            Targets = groups.Count == 1 ? groups[0].Targets : Array.Empty<string>(),
            Ports = groups.Count == 1 ? groups[0].Ports : Array.Empty<int>(),
            Groups = groups.Count == 1 ? Array.Empty<PortProbeGroup>() : groups,
            Udp = Udp,
            Parallel = Parallel ?? defaults.Parallel,
            IpVersion = source.Family,
            SourceAddress = source.SourceAddress,
            SourcePort = source.SourcePort,
            Proxy = source.Proxy,
            // Per probe; a wait gives every attempt its own time (see PortProber.WaitAsync) within the deadline.
            Timeout = given is TimeSpan t && t > TimeSpan.Zero ? t : defaults.Timeout,
        };
        PortProber.Validate(options);
        if (source.SourceAddress is System.Net.IPAddress from && source.Proxy is null) CheckSourceFamily(groups, from, names);
        // A wait of 0 has no limit: a year stands for it, as a deadline must be a length of time.
        TimeSpan? deadline = Wait ? shared.TimeoutOrDefault(names) ?? TimeSpan.FromDays(365) : null;
        return new ProbePlan(options, deadline) { Tls = TlsSettings(options, names) };
    }

    private TlsProbeSettings? TlsSettings(PortProbeOptions options, IOptionNames names)
    {
        if (!Tls)
        {
            NsockOption? stray = CaFile is not null ? NsockOption.CaFile : Sni is not null ? NsockOption.Sni : ExpiresWithinDays is not null ? NsockOption.ExpiresWithin : null;
            if (stray is NsockOption o) throw NsockException.BadInput($"{names.Option(o)} applies to TLS: give {names.Option(NsockOption.Tls)}");
            return null;
        }
        if (Udp) throw NsockException.BadInput($"TLS runs over TCP: {names.Option(NsockOption.Tls)} does not combine with {names.Option(NsockOption.Udp)}");
        // The TLS look is a second connection straight to the address the probe found; through a proxy there is none.
        if (Proxy is not null) throw NsockException.BadInput($"{names.Option(NsockOption.Tls)} does not go through {names.Option(NsockOption.Proxy)} yet: the TLS look connects to each open port directly");
        if (ExpiresWithinDays is double d && (double.IsNaN(d) || d < 0 || d > 36500))
            throw NsockException.BadInput($"{names.Option(NsockOption.ExpiresWithin)} must be 0-36500 days, not {d.ToString(CultureInfo.InvariantCulture)}");
        if (Sni is { } sni && (sni.Trim().Length == 0 || sni.IndexOfAny(new[] { ' ', '/', ':', '\0' }) >= 0))
            throw NsockException.BadInput($"{names.Option(NsockOption.Sni)} '{NsockText.Printable(sni)}' is not a host name");
        var trust = CaFile is null ? null : TlsFiles.ReadPemCertificates(CaFile, names.Option(NsockOption.CaFile));
        return new TlsProbeSettings(trust, Sni, options.Source, names, ExpiresWithinDays);
    }

    // The endpoints, else the groups. Consecutive rows naming the same hosts make one group (22,80 | Test-SocketPort
    // -ComputerName a,b probes a:22 a:80 b:22 b:80, as nsock probe a b -p 22,80 does), so results come in input
    // order either way; each group's ports are checked and kept in order without duplicates.
    private IReadOnlyList<PortProbeGroup> Rows(IOptionNames names)
    {
        if (Endpoints.Count > 0 && Groups.Count > 0)
            throw NsockException.BadInput($"give {names.Option(NsockOption.Endpoint)} rows, or {names.Option(NsockOption.Host)} and {names.Option(NsockOption.Ports)} rows; not both");
        var merged = new List<(IReadOnlyList<string> Hosts, List<int> Ports)>();
        int count = Endpoints.Count > 0 ? Endpoints.Count : Groups.Count;
        for (int i = 0; i < count; i++)
        {
            PortProbeGroup row = Endpoints.Count > 0 ? FromEndpoint(Endpoints[i], names) : Groups[i];
            if (row.Targets is null || row.Targets.Count == 0)
                throw NsockException.BadInput($"no target given: give {names.Option(NsockOption.Host)} (or {names.Option(NsockOption.Endpoint)} host:port)");
            IReadOnlyList<int> ports = row.Ports ?? Array.Empty<int>();
            if (merged.Count > 0 && SameHosts(merged[merged.Count - 1].Hosts, row.Targets))
                merged[merged.Count - 1].Ports.AddRange(ports);
            else
                merged.Add((row.Targets, new List<int>(ports)));
        }
        if (merged.Count == 0)
            throw NsockException.BadInput($"no target given: give {names.Option(NsockOption.Host)} (or {names.Option(NsockOption.Endpoint)} host:port)");
        var groups = new PortProbeGroup[merged.Count];
        for (int i = 0; i < groups.Length; i++)
        {
            var hosts = new string[merged[i].Hosts.Count];
            for (int h = 0; h < hosts.Length; h++) hosts[h] = merged[i].Hosts[h];
            groups[i] = new PortProbeGroup(hosts, Ports(merged[i].Ports, names));
        }
        return groups;
    }

    private static bool SameHosts(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }

    // An address or block of the other family than the source's could never be reached from it: say so before probing.
    private static void CheckSourceFamily(IReadOnlyList<PortProbeGroup> groups, System.Net.IPAddress from, IOptionNames names)
    {
        foreach (PortProbeGroup g in groups)
        foreach (string target in g.Targets)
        {
            string address = target.IndexOf('/') >= 0 ? target.Substring(0, target.IndexOf('/')) : target;
            if (System.Net.IPAddress.TryParse(address.Trim('[', ']'), out System.Net.IPAddress? a) && a.AddressFamily != from.AddressFamily)
                throw NsockException.BadInput($"{names.Option(NsockOption.Source)} {from} cannot reach {target}: one is IPv4, the other IPv6");
        }
    }

    private static IReadOnlyList<int> Ports(IReadOnlyList<int> ports, IOptionNames names)
    {
        if (ports.Count == 0) throw NsockException.BadInput($"no port given: give {names.Option(NsockOption.Ports)} (or {names.Option(NsockOption.Endpoint)} host:port)");
        var seen = new HashSet<int>();
        var kept = new List<int>(ports.Count);
        foreach (int port in ports)
        {
            if (port < 1 || port > 65535) throw NsockException.BadInput($"{names.Option(NsockOption.Ports)} {port.ToString(CultureInfo.InvariantCulture)} is out of range (1-65535)");
            if (seen.Add(port)) kept.Add(port);
        }
        return kept;
    }

    // host:port through the one endpoint parser; a scheme, if any, must agree with the UDP flag.
    private PortProbeGroup FromEndpoint(string text, IOptionNames names)
    {
        string option = names.Option(NsockOption.Endpoint);
        Endpoint ep;
        try
        {
            ep = EndpointParser.Parse(text ?? "", Udp ? Transport.Udp : Transport.Tcp);
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.BadInput)
        {
            throw NsockException.BadInput($"{option}: {e.Message}");
        }
        if (ep.Transport == Transport.Unix) throw NsockException.BadInput($"{option} '{text}' is a Unix socket; {names.Verb(NsockVerb.Probe)} probes TCP and UDP ports");
        if (ep.Transport != (Udp ? Transport.Udp : Transport.Tcp))
            throw NsockException.BadInput($"{option} '{text}' names a {ep.Transport.ToText()} endpoint, but {names.Option(NsockOption.Udp)} was {(Udp ? "" : "not ")}given");
        if (string.IsNullOrEmpty(ep.Host)) throw NsockException.BadInput($"{option} '{text}' names no host: give host:port");
        if (ep.Port < 1) throw NsockException.BadInput($"{option} '{text}' names port {ep.Port.ToString(CultureInfo.InvariantCulture)}; ports are 1-65535");
        return new PortProbeGroup(new[] { ep.Host! }, new[] { ep.Port });
    }
}

/// <summary>A checked <see cref="ProbeRequest"/>: what to probe, and the deadline of a wait (null: no wait).</summary>
public sealed record ProbePlan(PortProbeOptions Options, TimeSpan? WaitDeadline)
{
    /// <summary>The TLS look at open ports (probe --tls), checked; null without it.</summary>
    internal TlsProbeSettings? Tls { get; init; }

    /// <summary>How many results the run gives, when known before it starts (not with CIDR blocks, which expand as it runs).</summary>
    public int? Total
    {
        get
        {
            foreach (PortProbeGroup r in Options.Rows)
            {
                foreach (string t in r.Targets)
                {
                    if (t.IndexOf('/') >= 0) return null;
                }
            }
            int total = 0;
            foreach (PortProbeGroup r in Options.Rows) total = checked(total + r.Targets.Count * r.Ports.Count);
            return total;
        }
    }

    /// <summary>
    /// Probes every port (or waits for each to open, all within <see cref="WaitDeadline"/>), reporting each result to
    /// <paramref name="sink"/> in order as soon as it is known.
    /// </summary>
    public async Task<ProbeOutcome> RunAsync(IEventSink sink, CancellationToken ct)
    {
        TlsProbe? tls = Tls is null ? null : new TlsProbe(sink, Tls, Options, ct);
        IEventSink to = tls ?? sink;
        IReadOnlyList<PortProbeResult> results = WaitDeadline is TimeSpan deadline
            ? await PortProber.WaitAllAsync(Options, deadline, to, ct).ConfigureAwait(false)
            : await PortProber.RunAsync(Options, to, ct).ConfigureAwait(false);
        if (tls is not null) results = await tls.ResultsAsync().ConfigureAwait(false);
        DateTimeOffset soon = DateTimeOffset.UtcNow.AddDays(Tls?.ExpiresWithinDays ?? 0);
        bool allOpen = true;
        int expiring = 0;
        foreach (PortProbeResult r in results)
        {
            allOpen &= r.State == PortState.Open;
            if (Tls?.ExpiresWithinDays is not null && r.Tls?.NotAfter is DateTimeOffset end && end <= soon) expiring++;
        }
        // A port that is not open is the probe's answer, not a failure; a wait that ran out before one opened timed out.
        return new ProbeOutcome(results, allOpen, !allOpen && WaitDeadline is not null ? NsockErrorKind.TimedOut : null, expiring);
    }
}

/// <summary>How a probe ended: every result in order, whether every port is open, and the failure a wait that ran out is.</summary>
/// <param name="Results">Every result, in the order reported.</param>
/// <param name="AllOpen">Every port of every target is open.</param>
/// <param name="Failure"><see cref="NsockErrorKind.TimedOut"/> when a wait ran out before every port opened; null otherwise (a port that is merely not open is an answer).</param>
/// <param name="ExpiringSoon">With an expiry limit (probe --tls --expires-within): how many certificates expire within it (or have expired).</param>
public sealed record ProbeOutcome(IReadOnlyList<PortProbeResult> Results, bool AllOpen, NsockErrorKind? Failure, int ExpiringSoon = 0);
