namespace Nsock.Core;

/// <summary>A client of a broker, chat or keep-open listener was dropped because it did not take what was sent to it (its queue overflowed) or a send to it failed.</summary>
public sealed record ClientDropped(long Client, string Remote, string Reason) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "dropped";
}
