namespace Nsock.Core;

/// <summary>A client of <c>nsock forward</c> was connected to the target: <see cref="Target"/> is the address reached, <see cref="Local"/> the forward's side of it.</summary>
public sealed record ClientForwarded(long Client, string Remote, string Target, string Local) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "forwarded";
}
