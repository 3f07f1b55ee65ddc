namespace Nsock.Core;

/// <summary>
/// A listener's counters at one moment (<see cref="Listener.Statistics"/>), and the <c>stats</c> event a listener
/// with a statistics interval reports every interval and once more, <see cref="Final"/>, when it stops.
/// </summary>
/// <param name="ClientsNow">Clients connected now (UDP forward: sessions open).</param>
/// <param name="Clients">Clients accepted since the start (UDP forward: sessions).</param>
/// <param name="Rejected">Peers refused by --allow/--deny (UDP: datagrams refused; forward: sessions over the limit).</param>
/// <param name="BytesReceived">Bytes from clients: a stream client's are added when it ends; UDP echo and relay count each datagram as it arrives.</param>
/// <param name="BytesSent">Bytes to clients, counted as <paramref name="BytesReceived"/>.</param>
/// <param name="Datagrams">UDP datagrams taken from clients, counted as they arrive.</param>
/// <param name="FilesReceived">Files received and verified (or skipped as already there) with --receive-files.</param>
/// <param name="FilesServed">Files sent whole with --serve.</param>
/// <param name="Errors">Clients that ended with an error (not counting those closed because the listener stopped).</param>
/// <param name="Seconds">Seconds since the listener started serving.</param>
/// <param name="Final">True on the last report, made as the listener stops.</param>
public sealed record ListenerStatistics(
    long ClientsNow, long Clients, long Rejected, long BytesReceived, long BytesSent, long Datagrams,
    long FilesReceived, long FilesServed, long Errors, double Seconds, bool Final = false) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "stats";
}
