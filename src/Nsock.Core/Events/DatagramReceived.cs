namespace Nsock.Core;

/// <summary>A UDP datagram arrived at a listener.</summary>
public sealed record DatagramReceived(string Remote, int Bytes) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "datagram";
}
