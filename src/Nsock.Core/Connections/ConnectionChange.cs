using System;

namespace Nsock.Core;

/// <summary>
/// One change a watch saw (<c>nsock conns --watch</c>, <c>Get-SocketConnection -Watch</c>): a socket listed at the
/// start, opened, closed (<see cref="Connection"/> as last seen) or in a new state.
/// </summary>
/// <param name="Change">What happened.</param>
/// <param name="Connection">The socket as seen now (closed: as last seen).</param>
/// <param name="PreviousState">The state before, for <see cref="ConnectionChangeKind.State"/>; null otherwise.</param>
/// <param name="Time">When the look that saw it was taken.</param>
public sealed record ConnectionChange(ConnectionChangeKind Change, SocketConnection Connection, ConnectionState? PreviousState, DateTimeOffset Time) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => Change switch
    {
        ConnectionChangeKind.Listed => "listed",
        ConnectionChangeKind.Opened => "opened",
        ConnectionChangeKind.Closed => "closed",
        _ => "state",
    };
}
