namespace Nsock.Core;

/// <summary>
/// A socket's state in the user's words: TCP's states as <c>ss</c> and <c>Get-NetTCPConnection</c> name them, and
/// for UDP and Unix sockets whether they are connected to one peer or listening.
/// </summary>
public enum ConnectionState
{
    /// <summary>Accepting connections: a TCP or Unix stream listener.</summary>
    Listen,

    /// <summary>A TCP connection that carries data both ways.</summary>
    Established,

    /// <summary>A TCP connect sent its SYN and waits for the answer (a Unix stream connect in progress).</summary>
    SynSent,

    /// <summary>A TCP listener answered a SYN and waits for the last ACK of the handshake.</summary>
    SynReceived,

    /// <summary>This side closed first and waits for the peer's ACK.</summary>
    FinWait1,

    /// <summary>This side closed first; the peer acknowledged and has not closed yet.</summary>
    FinWait2,

    /// <summary>Closed; the address pair stays reserved a while so late segments are not taken for a new connection.</summary>
    TimeWait,

    /// <summary>The peer closed; this side has not yet (a program that does not close its sockets shows many).</summary>
    CloseWait,

    /// <summary>Both closed, this side last; waiting for the final ACK.</summary>
    LastAck,

    /// <summary>Both sides closed at once (a Unix socket disconnecting).</summary>
    Closing,

    /// <summary>A TCP socket that is neither connected nor listening.</summary>
    Closed,

    /// <summary>A UDP or Unix socket with no fixed peer: bound to a port or path, or not even that (<c>ss</c>: UNCONN).</summary>
    Unconnected,

    /// <summary>A UDP or Unix socket connected to one peer.</summary>
    Connected,
}
