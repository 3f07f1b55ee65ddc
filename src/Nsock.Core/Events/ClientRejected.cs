namespace Nsock.Core;

/// <summary>A peer was refused by --allow/--deny, or turned away because the listener is full.</summary>
public sealed record ClientRejected(string Remote, string Reason) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "rejected";
}
