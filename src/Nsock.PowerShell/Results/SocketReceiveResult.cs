using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>What Receive-SocketData read and why it stopped.</summary>
public sealed class SocketReceiveResult
{
    /// <summary>The peer.</summary>
    public string Remote { get; set; } = "";

    /// <summary>This side's address.</summary>
    public string? Local { get; set; }

    /// <summary>tcp or unix.</summary>
    public string Transport { get; set; } = "";

    /// <summary>Bytes read (up to -MaxBytes, or through the -Until delimiter).</summary>
    public long Bytes { get; set; }

    /// <summary>Seconds from connected to done.</summary>
    public double Seconds { get; set; }

    /// <summary>Why reading stopped: PeerClosed, ByteLimit, Delimiter or IdleTimeout.</summary>
    public ReceiveEnd End { get; set; }

    /// <summary>The bytes (null with -OutFile).</summary>
    public byte[]? Data { get; set; }

    /// <summary><see cref="Data"/> decoded with -Encoding (null with -OutFile).</summary>
    public string? Text { get; set; }

    /// <summary>With -OutFile: the file written (or, after a failure, the partial file kept).</summary>
    public string? Path { get; set; }

    /// <summary>Over TLS: what the handshake settled and the server's certificate; null without TLS.</summary>
    public Nsock.Core.TlsInfo? Tls { get; set; }

    /// <inheritdoc />
    public override string ToString() => Text ?? Path ?? $"{Bytes} bytes from {Remote}";
}
