namespace Nsock.Core;

/// <summary>
/// The statistics of a ping run. Times are milliseconds (null when no reply came). <see cref="Late"/> replies came
/// after their probe's timeout, <see cref="Duplicates"/> answered a probe twice, <see cref="Reordered"/> arrived
/// after a reply to a later probe, <see cref="Foreign"/> datagrams were not replies to this run. <see cref="Refused"/>
/// probes were answered with ICMP port unreachable (TCP: a reset), <see cref="Unreachable"/> ones with ICMP host or
/// network unreachable or administratively prohibited (TCP and UDP alike): the host or its network cannot be reached.
/// </summary>
public sealed record PingSummary(
    string Target,
    string Address,
    Transport Protocol,
    long Sent,
    long Received,
    long Refused,
    double LossPercent,
    double? MinMs,
    double? AvgMs,
    double? MaxMs,
    double? StdDevMs,
    double? JitterMs,
    double? P50Ms,
    double? P90Ms,
    double? P99Ms,
    long Duplicates,
    long Reordered,
    long Late,
    long Foreign,
    long Unreachable = 0) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "summary";
}
