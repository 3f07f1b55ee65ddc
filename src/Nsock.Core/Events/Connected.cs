namespace Nsock.Core;

/// <summary>An outgoing connection was established.</summary>
public sealed record Connected(string Remote, string Local, string Transport) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "connected";
}
