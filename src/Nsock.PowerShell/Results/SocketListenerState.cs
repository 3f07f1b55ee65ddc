namespace Nsock.PowerShell;

/// <summary>Where a background listener is in its life (its job's state says the same in PowerShell's words).</summary>
internal enum SocketListenerState
{
    /// <summary>Bound and serving.</summary>
    Running,

    /// <summary>Ended by itself: -Count clients were served, or the one relayed client left.</summary>
    Completed,

    /// <summary>Ended by a stop (Stop-SocketListener, Stop-Job, its session closing) or -Timeout.</summary>
    Stopped,

    /// <summary>Ended by an error (see <see cref="BackgroundListener.Failure"/>).</summary>
    Failed,
}
