using System;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// UDP echo probes, or TCP connect time (<c>nsock ping</c>, <c>Invoke-UdpPing</c>). Values left null take the
/// engine's defaults (<see cref="PingOptions"/>); the timeout is per probe (2 s unless given: the connect-oriented
/// 10 s does not apply).
/// </summary>
public sealed record PingRequest
{
    /// <summary>The peer (UDP unless <see cref="Tcp"/>).</summary>
    public ConnectTarget Target { get; init; } = new();

    /// <summary>Time TCP connects instead of UDP echo round trips.</summary>
    public bool Tcp { get; init; }

    /// <summary>Probes that count.</summary>
    public int? Count { get; init; }

    /// <summary>Seconds between probes; 0: the next as soon as the previous is answered or lost.</summary>
    public double? Interval { get; init; }

    /// <summary>UDP payload bytes per probe, header included; without it, just big enough for <see cref="Payload"/>.</summary>
    public int? Size { get; init; }

    /// <summary>Bytes after the header, repeated to fill the size.</summary>
    public byte[]? Payload { get; init; }

    /// <summary>Probes sent first and not counted.</summary>
    public int? Warmup { get; init; }

    /// <summary>Checks every value before anything is sent.</summary>
    public PingPlan Validate(IOptionNames names)
    {
        var defaults = new PingOptions();
        Transport transport = Tcp ? Transport.Tcp : Transport.Udp;
        bool tlsScheme = Target.Endpoint?.Trim().StartsWith("tls://", StringComparison.OrdinalIgnoreCase) == true;
        if ((Target.Tls || tlsScheme) && !Tcp)
            throw NsockException.BadInput($"a TLS ping times a TCP connect and a handshake: give {names.Option(NsockOption.Tcp)} with {(tlsScheme ? "a tls:// endpoint" : names.Option(NsockOption.Tls))}");
        (Endpoint ep, TlsClient? tls) = Tcp ? Target.ParseTlsEndpoint(names, transport, tlsScheme ? null : NsockOption.Tcp) : (Target.ParseEndpoint(names, transport, null), null);
        if (Payload is { Length: 0 }) throw NsockException.BadInput($"{names.Option(NsockOption.Payload)} is empty");
        if (Count is < 1) throw NsockException.BadInput($"{names.Option(NsockOption.Count)} must be at least 1, not {Count}");
        if (Warmup is < 0) throw NsockException.BadInput($"{names.Option(NsockOption.Warmup)} must be 0 or more, not {Warmup}");
        Seconds.Check(Interval, names.Option(NsockOption.Interval));
        int size = Size ?? (Payload is null ? defaults.Size : PingOptions.HeaderSize + Payload.Length);
        if (transport == Transport.Udp && (size < PingOptions.HeaderSize || size > PingOptions.MaxUdpPayload))
            throw NsockException.BadInput($"{names.Option(NsockOption.Size)} {size} is outside {PingOptions.HeaderSize}-{PingOptions.MaxUdpPayload} bytes ({PingOptions.HeaderSize} bytes of header; {PingOptions.MaxUdpPayload} is the largest UDP payload)");
        TimeSpan? timeout = Target.ExplicitTimeout(names);
        if (timeout == Timeout.InfiniteTimeSpan) throw NsockException.BadInput($"{names.Option(NsockOption.Timeout)} must be more than 0 seconds for a probe");
        var options = new PingOptions
        {
            Endpoint = ep,
            Count = Count ?? defaults.Count,
            Interval = Interval is double s ? TimeSpan.FromSeconds(s) : defaults.Interval,
            Size = size,
            Payload = Payload,
            Warmup = Warmup ?? defaults.Warmup,
            IpVersion = Target.Family(names),
            Timeout = timeout ?? defaults.Timeout,
        };
        options = options with { Tls = tls?.WithTimeout(options.Timeout) };
        ConnectOptions source = Target.ConnectOptions(names); // the source, checked against -4/-6
        options = options with { SourceAddress = source.SourceAddress, SourcePort = source.SourcePort, Proxy = source.Proxy };
        options.Validate();
        return new PingPlan(options);
    }
}

/// <summary>A checked <see cref="PingRequest"/>.</summary>
public sealed record PingPlan(PingOptions Options)
{
    /// <summary>Probes, reporting each reply or loss to <paramref name="sink"/>; the summary, and an error when nothing came back.</summary>
    public async Task<PingOutcome> RunAsync(IEventSink sink, CancellationToken ct)
    {
        PingSummary summary = await Pinger.RunAsync(Options, sink, ct).ConfigureAwait(false);
        return new PingOutcome(summary, Judge(summary));
    }

    private static NsockException? Judge(PingSummary summary)
    {
        if (summary.Received > 0) return null;
        // A refusal comes from the host itself, so it outranks an unreachable answer from the path to it.
        if (summary.Refused > 0)
            return new NsockException(NsockErrorKind.Refused, $"no reply from {summary.Target}: the port was refused (ICMP port unreachable) for {summary.Refused} of {summary.Sent} probes");
        if (summary.Unreachable > 0)
            return new NsockException(NsockErrorKind.Unreachable, $"no reply from {summary.Target}: the host or its network was unreachable (ICMP) for {summary.Unreachable} of {summary.Sent} probes");
        return new NsockException(NsockErrorKind.TimedOut, $"no reply from {summary.Target}: all {summary.Sent} probes were lost");
    }
}

/// <summary>How a ping ended: the summary, and the failure when no probe was answered (refused, unreachable, or all lost).</summary>
public sealed record PingOutcome(PingSummary Summary, NsockException? Error);
