namespace Nsock.Core;

/// <summary>What a listener did before it stopped.</summary>
public sealed record ListenerResult(long Clients, long Rejected, long BytesReceived, long BytesSent, RelayResult? Relay)
{
    /// <summary>True unless the single relayed client (plain nc -l mode) failed.</summary>
    public bool Succeeded => Relay is null || Relay.Succeeded;
}
