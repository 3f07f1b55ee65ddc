namespace Nsock.Core;

/// <summary>A probe with no answer: nothing within the timeout, or the port was reported unreachable (refused).</summary>
public sealed record PingLost(long Seq, string Reason) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "lost";
}
