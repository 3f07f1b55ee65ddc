namespace Nsock.Core;

/// <summary>A client of <c>nsock forward</c> was connected to the target: <see cref="Target"/> is the address reached, <see cref="Local"/> the forward's side of it.</summary>
public sealed record ClientForwarded(long Client, string Remote, string Target, string Local) : NsockEvent
{
    /// <summary>A TLS target (<c>tls://host:port</c>): what the handshake with it settled and its certificate (the shape of connect's <c>tls</c> event); null for a plain target.</summary>
    public TlsInfo? Tls { get; init; }

    /// <inheritdoc />
    public override string Event => "forwarded";
}
