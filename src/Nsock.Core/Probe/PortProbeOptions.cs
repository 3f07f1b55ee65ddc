using System;
using System.Collections.Generic;

namespace Nsock.Core;

/// <summary>What <see cref="PortProber"/> probes and how.</summary>
public sealed record PortProbeOptions
{
    /// <summary>The most addresses one run may expand to (a /16 of IPv4), so a typo like /8 fails fast instead of running for days.</summary>
    public const int MaxAddresses = 65536;

    /// <summary>The most probes (addresses times ports) one run may make.</summary>
    public const int MaxProbes = 1_048_576;

    /// <summary>Names, addresses or CIDR blocks, in the order results are reported.</summary>
    public IReadOnlyList<string> Targets { get; init; } = Array.Empty<string>();

    /// <summary>Ports, in order (see <see cref="PortList.Parse"/>).</summary>
    public IReadOnlyList<int> Ports { get; init; } = Array.Empty<int>();

    /// <summary>
    /// Rows of their own hosts and ports, all probed in one run, concurrently, and reported row by row (then hosts,
    /// then ports, as given). When any are given they replace <see cref="Targets"/> and <see cref="Ports"/>.
    /// </summary>
    public IReadOnlyList<PortProbeGroup> Groups { get; init; } = Array.Empty<PortProbeGroup>();

    /// <summary>The rows this run probes: <see cref="Groups"/>, or <see cref="Targets"/> by <see cref="Ports"/> as one.</summary>
    public IReadOnlyList<PortProbeGroup> Rows => Groups.Count > 0 ? Groups : new[] { new PortProbeGroup(Targets, Ports) };

    /// <summary>UDP probes instead of TCP connects.</summary>
    public bool Udp { get; init; }

    /// <summary>How long one probe waits for an answer.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Probes in flight at once.</summary>
    public int Parallel { get; init; } = 100;

    /// <summary>Family for names.</summary>
    public IpVersion IpVersion { get; init; } = IpVersion.Any;

    /// <summary>The local address to probe from (null: the OS picks); names resolve to its family only.</summary>
    public System.Net.IPAddress? SourceAddress { get; init; }

    /// <summary>The local port to probe from (0: the OS picks). Probes end with a reset, so every probe can use it.</summary>
    public int SourcePort { get; init; }

    /// <summary>
    /// The proxy TCP probes go through: each probe is a tunnel request, names are the proxy's to resolve, and the
    /// proxy's answer decides the state (a SOCKS5 "refused" is closed; unreachable or no answer is filtered).
    /// </summary>
    internal ProxyServer? Proxy { get; init; }

    /// <summary>The source as the connector takes it; null when none is given.</summary>
    internal ConnectOptions? Source => SourceAddress is null && SourcePort == 0 ? null : new ConnectOptions { SourceAddress = SourceAddress, SourcePort = SourcePort };
}
