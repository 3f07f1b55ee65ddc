namespace Nsock.Core;

/// <summary>What a relay moved and how it ended.</summary>
public sealed record RelayResult(long BytesSent, long BytesReceived, double Seconds, RelayEnd End, NsockException? Error)
{
    /// <summary>True when the relay ended the way relays are meant to: both ends closed, or the peer closed.</summary>
    public bool Succeeded => End is RelayEnd.Completed or RelayEnd.PeerClosed or RelayEnd.WaitAfterInputEnded;

    /// <summary>Both directions went socket to socket through splice(2) (a forward on Linux), not the copy loops.</summary>
    internal bool Spliced { get; init; }
}
