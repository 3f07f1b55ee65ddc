namespace Nsock.Core;

/// <summary>A listener is bound and accepting; <see cref="Port"/> is the real port (useful after binding port 0).</summary>
public sealed record ListenerReady(Transport Transport, string Address, int Port, string Endpoint) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "ready";
}
