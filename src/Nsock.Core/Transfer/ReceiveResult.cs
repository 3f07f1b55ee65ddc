namespace Nsock.Core;

/// <summary>What <see cref="Receiver"/> read and why it stopped.</summary>
public sealed record ReceiveResult(long Bytes, double Seconds, ReceiveEnd End) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "received";
}
