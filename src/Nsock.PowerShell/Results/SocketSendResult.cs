using System.Collections.Generic;

namespace Nsock.PowerShell;

/// <summary>What Send-SocketData sent and, with -Reply, what came back.</summary>
public sealed class SocketSendResult
{
    /// <summary>The peer, e.g. <c>127.0.0.1:9000</c> or <c>unix:/run/app.sock</c>.</summary>
    public string Remote { get; set; } = "";

    /// <summary>This side's address.</summary>
    public string? Local { get; set; }

    /// <summary>tcp, udp or unix.</summary>
    public string Transport { get; set; } = "";

    /// <summary>Bytes sent.</summary>
    public long BytesSent { get; set; }

    /// <summary>Bytes the peer sent back (read even without -Reply, so closing never resets unread data).</summary>
    public long BytesReceived { get; set; }

    /// <summary>UDP: datagrams sent (each pipeline record is one). 0 for streams.</summary>
    public long Datagrams { get; set; }

    /// <summary>Seconds from connected to done.</summary>
    public double Seconds { get; set; }

    /// <summary>True when the peer closed (TCP, Unix) or answered every datagram (UDP) before -Timeout.</summary>
    public bool PeerClosed { get; set; }

    /// <summary>With -Reply: every byte that came back. Null without -Reply.</summary>
    public byte[]? Reply { get; set; }

    /// <summary>With -Reply: <see cref="Reply"/> decoded with -Encoding.</summary>
    public string? ReplyText { get; set; }

    /// <summary>With -Reply over UDP: each reply datagram on its own.</summary>
    public IReadOnlyList<byte[]>? ReplyDatagrams { get; set; }

    /// <summary>Over TLS: what the handshake settled and the server's certificate; null without TLS.</summary>
    public Nsock.Core.TlsInfo? Tls { get; set; }

    /// <inheritdoc />
    public override string ToString() => ReplyText ?? $"{BytesSent} bytes to {Remote}";
}
