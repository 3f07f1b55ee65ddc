namespace Nsock.Core;

/// <summary>A client left the chat; <see cref="Reason"/> says why when it did not just hang up (dropped, an error).</summary>
public sealed record ChatLeft(long Client, string Name, string? Reason) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "leave";
}
