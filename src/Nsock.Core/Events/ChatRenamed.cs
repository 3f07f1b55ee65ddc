namespace Nsock.Core;

/// <summary>A chat client took a new name with <c>/nick</c>.</summary>
public sealed record ChatRenamed(long Client, string OldName, string Name) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "nick";
}
