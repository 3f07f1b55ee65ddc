namespace Nsock.Core;

/// <summary>Why a relay ended.</summary>
public enum RelayEnd
{
    /// <summary>Both directions reached end of stream: input ended (and was half-closed) and the peer closed. For UDP, which has no end of stream: input ended and the peer then fell silent for the idle timeout.</summary>
    Completed,

    /// <summary>The peer closed and the relay was told to stop then, without waiting for input to end.</summary>
    PeerClosed,

    /// <summary>Input ended and the wait after it (--wait-after-eof) ran out before the peer closed.</summary>
    WaitAfterInputEnded,

    /// <summary>Nothing was left to send and the peer sent nothing for the idle timeout.</summary>
    IdleTimeout,

    /// <summary>A direction failed: reset by the peer, or the output could not be written.</summary>
    Failed,
}
