namespace Nsock.Core;

/// <summary>
/// The statistics of a ping run. Times are milliseconds (null when no reply came). <see cref="Late"/> replies came
/// after their probe's timeout, <see cref="Duplicates"/> answered a probe twice, <see cref="Reordered"/> arrived
/// after a reply to a later probe, <see cref="Foreign"/> datagrams were not replies to this run.
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
    long Foreign) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "summary";
}
