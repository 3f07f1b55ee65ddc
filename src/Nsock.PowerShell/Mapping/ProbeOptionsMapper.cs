using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// Test-SocketPort's parameters to PortProbeOptions (and the -Wait deadline), as <c>nsock probe</c> builds them,
/// checked by the engine's own <see cref="PortProber.Validate"/> so bad input ends the cmdlet before anything opens.
/// </summary>
internal static class ProbeOptionsMapper
{
    public static PortProbeOptions Map(ProbeParameters p)
    {
        var defaults = new PortProbeOptions();
        TimeSpan? timeout = Timeouts.Explicit(p.Timeout);
        if (!p.Wait && timeout == System.Threading.Timeout.InfiniteTimeSpan)
            throw BadInput.Error("-Timeout must be more than 0 seconds for a probe (0, no limit, is for -Wait only)");
        IReadOnlyList<PortProbeGroup> groups = Groups(p);
        var options = new PortProbeOptions
        {
            Targets = groups.Count == 1 ? groups[0].Targets : Array.Empty<string>(),
            Ports = groups.Count == 1 ? groups[0].Ports : Array.Empty<int>(),
            Groups = groups.Count == 1 ? Array.Empty<PortProbeGroup>() : groups,
            Udp = p.Udp,
            Parallel = p.Parallel ?? defaults.Parallel,
            IpVersion = IpVersions.From(p.IPv4, p.IPv6),
            // Per probe: the engine's 1 s unless -Timeout was given.
            Timeout = timeout is TimeSpan t && t > TimeSpan.Zero ? t : defaults.Timeout,
        };
        PortProber.Validate(options);
        return options;
    }

    /// <summary>With -Wait, -Timeout is the total wait: 10 s unless given, 0 waits (practically) for ever.</summary>
    public static TimeSpan WaitDeadline(double? timeout) => Timeouts.OrDefault(timeout) ?? TimeSpan.FromDays(365);

    /// <summary>The ports in order without duplicates, checked by the command's port-list parser.</summary>
    public static IReadOnlyList<int> Ports(IReadOnlyList<int> ports)
    {
        if (ports.Count == 0) throw BadInput.Error("no port given: give -Port (or -Endpoint host:port)");
        return PortList.Parse(string.Join(",", ports.Select(x => x.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>How many results a run gives, when known before it starts (not for CIDR blocks, which expand in the engine).</summary>
    public static int? Total(PortProbeOptions o) =>
        o.Rows.Any(r => r.Targets.Any(t => t.IndexOf('/') >= 0)) ? null : o.Rows.Sum(r => r.Targets.Count * r.Ports.Count);

    // -Endpoint values, else the pipeline rows, else -ComputerName by -Port. Records in a row naming the same hosts
    // make one group (22,80 | Test-SocketPort -ComputerName a,b probes a:22 a:80 b:22 b:80, as nsock probe does),
    // so results come in input order either way.
    private static IReadOnlyList<PortProbeGroup> Groups(ProbeParameters p)
    {
        IEnumerable<ProbeRow> rows = p.Endpoint.Count > 0 ? p.Endpoint.Select(e => FromEndpoint(e, p.Udp))
            : p.Rows.Count > 0 ? p.Rows
            : new[] { new ProbeRow(p.ComputerName, p.Port) };
        var groups = new List<(IReadOnlyList<string> Hosts, List<int> Ports)>();
        foreach (ProbeRow row in rows)
        {
            if (row.ComputerName.Count == 0) throw BadInput.Error("no computer given: give -ComputerName (or -Endpoint host:port)");
            if (groups.Count > 0 && groups[groups.Count - 1].Hosts.SequenceEqual(row.ComputerName, StringComparer.OrdinalIgnoreCase))
                groups[groups.Count - 1].Ports.AddRange(row.Port);
            else
                groups.Add((row.ComputerName, row.Port.ToList()));
        }
        return groups.Select(g => new PortProbeGroup(g.Hosts.ToArray(), Ports(g.Ports))).ToArray();
    }

    // host:port through the command's endpoint parser; the scheme, if any, must agree with -Udp.
    private static ProbeRow FromEndpoint(string text, bool udp)
    {
        Endpoint ep;
        try
        {
            ep = EndpointParser.Parse(text ?? "", udp ? Transport.Udp : Transport.Tcp);
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.BadInput)
        {
            throw BadInput.Error($"-Endpoint: {e.Message}");
        }
        if (ep.Transport == Transport.Unix) throw BadInput.Error($"-Endpoint '{text}' is a Unix socket; Test-SocketPort probes TCP and UDP ports");
        if (ep.Transport != (udp ? Transport.Udp : Transport.Tcp))
            throw BadInput.Error($"-Endpoint '{text}' names a {ep.Transport.ToString().ToLowerInvariant()} endpoint, but -Udp was {(udp ? "" : "not ")}given");
        if (string.IsNullOrEmpty(ep.Host)) throw BadInput.Error($"-Endpoint '{text}' names no host: give host:port");
        if (ep.Port < 1) throw BadInput.Error($"-Endpoint '{text}' names port {ep.Port}; ports are 1-65535");
        return new ProbeRow(new[] { ep.Host! }, new[] { ep.Port });
    }
}
