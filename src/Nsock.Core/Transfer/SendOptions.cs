using System;

namespace Nsock.Core;

/// <summary>How <see cref="Sender"/> connects, and how long it waits for what comes back.</summary>
public sealed record SendOptions
{
    /// <summary>Family and per-attempt connect timeout.</summary>
    public ConnectOptions Connect { get; init; } = new();

    /// <summary>
    /// After everything was sent: how long the peer may stay silent before the sender stops waiting for it to
    /// close (TCP, Unix) or for replies (UDP). Reaching it is not a failure: the data was delivered.
    /// </summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Turn each bare LF of the data into CR LF on the wire (--crlf, nc -C).</summary>
    public bool Crlf { get; init; }

    /// <summary>Send the data a line at a time with this pause before each line after the first (--delay, nc -i); over UDP each line is a datagram.</summary>
    public TimeSpan? LineDelay { get; init; }

    /// <summary>Record both directions as a hex dump in this file (--hex-dump).</summary>
    public string? HexDumpPath { get; init; }

    /// <summary>Record both directions, as they are, in this file (--output).</summary>
    public string? OutputPath { get; init; }

    /// <summary>TLS over the connection (send --tls).</summary>
    internal TlsClient? Tls { get; init; }
}
