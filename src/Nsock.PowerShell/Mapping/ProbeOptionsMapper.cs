using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>Test-SocketPort's parameters to PortProbeOptions (and the -Wait deadline), as <c>nsock probe</c> builds them.</summary>
internal static class ProbeOptionsMapper
{
    public static PortProbeOptions Map(ProbeParameters p)
    {
        var defaults = new PortProbeOptions();
        return new PortProbeOptions
        {
            Targets = p.ComputerName.ToArray(),
            Ports = Ports(p.Port),
            Udp = p.Udp,
            Parallel = p.Parallel ?? defaults.Parallel,
            IpVersion = IpVersions.From(p.IPv4, p.IPv6),
            // Per probe: the engine's 1 s unless -Timeout was given.
            Timeout = Timeouts.Explicit(p.Timeout) ?? defaults.Timeout,
        };
    }

    /// <summary>With -Wait, -Timeout is the total wait: 10 s unless given, 0 waits (practically) for ever.</summary>
    public static TimeSpan WaitDeadline(double? timeout) => Timeouts.OrDefault(timeout) ?? TimeSpan.FromDays(365);

    /// <summary>The ports in order without duplicates, checked by the command's port-list parser.</summary>
    public static IReadOnlyList<int> Ports(IReadOnlyList<int> ports)
    {
        if (ports.Count == 0) throw BadInput.Error("no port given");
        return PortList.Parse(string.Join(",", ports.Select(x => x.ToString(CultureInfo.InvariantCulture))));
    }

    /// <summary>How many results a run gives, when known before it starts (not for CIDR blocks, which expand in the engine).</summary>
    public static int? Total(PortProbeOptions o) =>
        o.Targets.Any(t => t.IndexOf('/') >= 0) ? null : o.Targets.Count * o.Ports.Count;
}
