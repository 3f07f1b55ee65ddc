namespace Nsock.Core;

/// <summary>Which way bytes move in a relay.</summary>
public enum RelayDirection
{
    /// <summary>Input to the socket and the socket to output.</summary>
    Both,

    /// <summary>Input to the socket; what the peer sends is read and discarded (so closing never resets unread data).</summary>
    SendOnly,

    /// <summary>The socket to output; input is never read and the write side is left open.</summary>
    ReceiveOnly,
}
