using System;

namespace Nsock.Core;

/// <summary>How <see cref="Pinger"/> probes: UDP echo probes (default) or TCP connect time.</summary>
public sealed record PingOptions
{
    /// <summary>The smallest UDP probe: the header that lets replies be matched (magic, session, sequence).</summary>
    public const int HeaderSize = 12;

    /// <summary>The largest UDP payload over IPv4 (65,535 minus the IP and UDP headers).</summary>
    public const int MaxUdpPayload = 65507;

    /// <summary>Where to ping. Transport Udp sends echo probes; Tcp measures connect time.</summary>
    public Endpoint Endpoint { get; init; } = new(Transport.Udp, "127.0.0.1", 7);

    /// <summary>Probes that count (after the warm-up).</summary>
    public int Count { get; init; } = 5;

    /// <summary>Time between probe starts. Zero: flood-style, the next probe as soon as the previous one is answered or lost.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>UDP payload bytes per probe, header included (12 to 65,507).</summary>
    public int Size { get; init; } = 32;

    /// <summary>How long each probe waits for its reply before it is counted lost.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes to carry after the header, repeated to fill <see cref="Size"/>. Null: a fixed pattern.</summary>
    public byte[]? Payload { get; init; }

    /// <summary>Probes sent first and not counted (they warm caches, ARP and JIT).</summary>
    public int Warmup { get; init; }

    /// <summary>Family for names.</summary>
    public IpVersion IpVersion { get; init; } = IpVersion.Any;

    /// <summary>The local address to probe from (null: the OS picks).</summary>
    public System.Net.IPAddress? SourceAddress { get; init; }

    /// <summary>The local port to probe from (0: the OS picks). TCP probes from a given port end with a reset, so the next probe can use the port again at once.</summary>
    public int SourcePort { get; init; }

    /// <summary>How each probe connects: the family, the timeout, the source.</summary>
    internal ConnectOptions Connect => new() { IpVersion = IpVersion, Timeout = Timeout, SourceAddress = SourceAddress, SourcePort = SourcePort, Proxy = Proxy };

    /// <summary>The proxy TCP probes go through (each probe a whole tunnel); null: direct.</summary>
    internal ProxyServer? Proxy { get; init; }

    /// <summary>Fails with <see cref="NsockErrorKind.BadInput"/> naming the bad value.</summary>
    public void Validate()
    {
        if (Count < 1) throw NsockException.BadInput($"count must be at least 1, not {Count}");
        if (Warmup < 0) throw NsockException.BadInput($"warm-up must be 0 or more, not {Warmup}");
        if (Interval < TimeSpan.Zero) throw NsockException.BadInput($"interval must be 0 or more seconds, not {Interval.TotalSeconds}");
        if (Timeout <= TimeSpan.Zero) throw NsockException.BadInput($"timeout must be more than 0 seconds, not {Timeout.TotalSeconds}");
        if (Endpoint.Transport == Transport.Udp && (Size < HeaderSize || Size > MaxUdpPayload))
            throw NsockException.BadInput($"size {Size} is outside 12-{MaxUdpPayload} bytes (12 bytes of header; {MaxUdpPayload} is the largest UDP payload)");
        if (Endpoint.Transport == Transport.Unix) throw NsockException.BadInput("ping works over UDP or TCP, not Unix sockets");
        Connector.ValidateForConnect(Endpoint);
        Connector.CheckSource(Endpoint, Connect);
    }

    /// <summary>A TCP ping that also times a TLS handshake (ping --tcp --tls); null: connect only.</summary>
    internal TlsClient? Tls { get; init; }
}
