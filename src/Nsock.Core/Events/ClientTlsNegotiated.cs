namespace Nsock.Core;

/// <summary>
/// A TLS listener's client finished its handshake (listen --tls): what was negotiated, from the listener's side, in the
/// shape a client's <see cref="TlsNegotiated"/> has. <see cref="TlsInfo.ServerName"/> is the name the client asked for
/// (SNI; empty when it sent none); the certificate fields describe the client's certificate (mutual TLS, --client-ca):
/// empty, with <see cref="TlsInfo.Verified"/> false, when it sent none. <see cref="TlsInfo.Alpn"/> is null (a listener
/// offers no protocols).
/// </summary>
public sealed record ClientTlsNegotiated(long Client, string Remote, TlsInfo Tls) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "tls";
}
