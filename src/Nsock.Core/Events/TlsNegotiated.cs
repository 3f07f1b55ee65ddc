namespace Nsock.Core;

/// <summary>A TLS handshake finished: what was negotiated and the certificate the server presented (the shape <c>nsock http</c> reports).</summary>
public sealed record TlsNegotiated(TlsInfo Tls) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "tls";
}
