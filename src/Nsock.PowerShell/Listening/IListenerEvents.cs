using System;

namespace Nsock.PowerShell;

/// <summary>What a <see cref="BackgroundListener"/> tells its owner (the PowerShell job), from the listener's threads.</summary>
internal interface IListenerEvents
{
    /// <summary>An event as it happens: ready, connected, data, closed, rejected, datagram, file.</summary>
    void Event(SocketListenerEvent e);

    /// <summary>The listener ended (its state is already <paramref name="state"/>); <paramref name="stopped"/> is its last event.</summary>
    void Ended(SocketListenerState state, SocketListenerEvent stopped, Exception? failure);
}
