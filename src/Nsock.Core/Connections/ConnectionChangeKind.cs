namespace Nsock.Core;

/// <summary>What a watch saw happen to a socket between two looks.</summary>
public enum ConnectionChangeKind
{
    /// <summary>The socket was there when the watch started (the first look lists everything as this).</summary>
    Listed,

    /// <summary>A socket that was not there at the last look.</summary>
    Opened,

    /// <summary>A socket that was there at the last look and is gone.</summary>
    Closed,

    /// <summary>The socket is still there in another state (<see cref="ConnectionChange.PreviousState"/> says which).</summary>
    State,
}
