namespace Nsock.Core;

/// <summary>
/// A line said in the chat: <see cref="Text"/> as the client sent it (decoded as UTF-8, without the line end); the
/// room relays it as <c>&lt;name&gt; text</c> with control characters escaped. <see cref="Client"/> is 0 for the listener's own input.
/// </summary>
public sealed record ChatMessage(long Client, string Name, string Text) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "message";
}
