using System;

namespace Nsock.Core;

/// <summary>A listener is bound and accepting; <see cref="Port"/> is the real port (useful after binding port 0).</summary>
public sealed record ListenerReady(Transport Transport, string Address, int Port, string Endpoint) : NsockEvent
{
    /// <inheritdoc />
    public override string Event => "ready";

    /// <summary>With TLS: the SHA-256 fingerprint of the listener's certificate (hex pairs, as a client's <c>tls</c> event shows it).</summary>
    public string? TlsCertificateSha256 { get; init; }

    /// <summary>With TLS: <c>sha256:BASE64</c> of the certificate's public key (SubjectPublicKeyInfo), the form a client pins.</summary>
    public string? TlsKeyPin { get; init; }

    /// <summary>With TLS: when the listener's certificate expires.</summary>
    public DateTimeOffset? TlsNotAfter { get; init; }
}
