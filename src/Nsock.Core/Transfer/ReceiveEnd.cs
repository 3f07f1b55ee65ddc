namespace Nsock.Core;

/// <summary>Why <see cref="Receiver"/> stopped.</summary>
public enum ReceiveEnd
{
    /// <summary>The peer closed its side.</summary>
    PeerClosed,

    /// <summary>The byte limit was reached.</summary>
    ByteLimit,

    /// <summary>The delimiter arrived.</summary>
    Delimiter,

    /// <summary>The peer was silent for the idle timeout.</summary>
    IdleTimeout,
}
