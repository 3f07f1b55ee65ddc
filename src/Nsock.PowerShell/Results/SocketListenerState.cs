namespace Nsock.PowerShell;

/// <summary>Where a background listener is in its life.</summary>
public enum SocketListenerState
{
    /// <summary>Bound and serving.</summary>
    Running,

    /// <summary>Ended by itself: -Count clients were served, or the one relayed client left.</summary>
    Completed,

    /// <summary>Ended by Stop-SocketListener or -Timeout.</summary>
    Stopped,

    /// <summary>Ended by an error (see <see cref="SocketListener.Error"/>).</summary>
    Failed,
}
