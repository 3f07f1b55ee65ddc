using System;

namespace Nsock.Core;

/// <summary>When <see cref="Receiver"/> stops reading.</summary>
public sealed record ReceiveOptions
{
    /// <summary>Stop after this many bytes. Null: no limit.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Stop right after this byte sequence (it is written too). Null or empty: no delimiter.</summary>
    public byte[]? Until { get; init; }

    /// <summary>Give up when the peer has sent nothing for this long. Null: wait forever.</summary>
    public TimeSpan? IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
