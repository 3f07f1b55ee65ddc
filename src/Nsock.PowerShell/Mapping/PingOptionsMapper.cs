using System;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>Invoke-UdpPing's parameters to PingOptions, as <c>nsock ping</c> builds them (defaults are the engine's).</summary>
internal static class PingOptionsMapper
{
    public static PingOptions Map(PingParameters p)
    {
        var defaults = new PingOptions();
        Transport transport = p.Tcp ? Transport.Tcp : Transport.Udp;
        Endpoint ep = EndpointMapper.ParseTarget(p.Endpoint, p.ComputerName, p.Port, transport, p.Tcp ? "-Tcp" : null);
        if (p.Payload is { Length: 0 }) throw BadInput.Error("-Payload is empty");
        double interval = Timeouts.Check(p.Interval, "-Interval") ?? defaults.Interval.TotalSeconds;
        return new PingOptions
        {
            Endpoint = ep,
            Count = p.Count ?? defaults.Count,
            Interval = TimeSpan.FromSeconds(interval),
            // A payload without -Size makes probes just big enough to carry it once, as --payload does.
            Size = p.Size ?? (p.Payload is null ? defaults.Size : PingOptions.HeaderSize + p.Payload.Length),
            Payload = p.Payload,
            Warmup = p.Warmup ?? defaults.Warmup,
            IpVersion = IpVersions.From(p.IPv4, p.IPv6),
            // The connect-oriented 10 s default does not apply: a probe waits the engine's 2 s unless told.
            Timeout = Timeouts.Explicit(p.Timeout) ?? defaults.Timeout,
        };
    }

    /// <summary>As the command's exit codes 3 and 4: an error when nothing came back, null when any reply did.</summary>
    public static NsockException? Outcome(PingSummary summary)
    {
        if (summary.Received > 0) return null;
        return summary.Refused > 0
            ? new NsockException(NsockErrorKind.Refused, $"no reply from {summary.Target}: the port was refused (ICMP port unreachable) for {summary.Refused} of {summary.Sent} probes")
            : new NsockException(NsockErrorKind.TimedOut, $"no reply from {summary.Target}: all {summary.Sent} probes were lost");
    }
}
