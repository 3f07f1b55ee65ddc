namespace Nsock.Core;

/// <summary>What <see cref="Sender"/> sent and received. <see cref="PeerClosed"/> is false when the wait ended by timeout.</summary>
public sealed record SendResult(string Remote, long BytesSent, long BytesReceived, long Datagrams, double Seconds, bool PeerClosed) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "sent";
}
