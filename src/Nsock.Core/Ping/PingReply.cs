namespace Nsock.Core;

/// <summary>One answered probe. <see cref="RttMs"/> is measured with the monotonic clock, from just before the send to just after the receive.</summary>
public sealed record PingReply(long Seq, int Bytes, double RttMs, string From, Transport Protocol) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "reply";
}
