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
}
