namespace Nsock.Core;

/// <summary>A client was accepted (TCP, Unix) or first heard from (UDP).</summary>
public sealed record ClientConnected(long Client, string Remote, string Local) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "connected";
}
