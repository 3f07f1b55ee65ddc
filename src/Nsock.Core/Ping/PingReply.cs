namespace Nsock.Core;

/// <summary>One answered probe. <see cref="RttMs"/> is measured with the monotonic clock, from just before the send to just after the receive
/// (TCP: the connect); <see cref="TlsMs"/>, with ping --tcp --tls, the TLS handshake after it, apart.</summary>
public sealed record PingReply(long Seq, int Bytes, double RttMs, string From, Transport Protocol, double? TlsMs = null) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "reply";
}
