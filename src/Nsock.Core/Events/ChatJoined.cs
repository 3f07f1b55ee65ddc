namespace Nsock.Core;

/// <summary>A client joined the chat under <see cref="Name"/>.</summary>
public sealed record ChatJoined(long Client, string Remote, string Name) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "join";
}
