namespace Nsock.Core;

/// <summary>A probe with no answer: nothing within the timeout, the port was refused (ICMP port unreachable, or a TCP reset), or the host or its network was unreachable (an ICMP error; the reason starts with "unreachable: ").</summary>
public sealed record PingLost(long Seq, string Reason) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "lost";
}
