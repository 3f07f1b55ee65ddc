using System;

namespace Nsock.Core;

/// <summary>
/// What the TLS handshake settled and the certificate the server presented. <see cref="Verified"/>: the chain and the
/// name verified (as they would have, under --insecure or a pin). <see cref="PublicKeyPin"/>: the server key's pin
/// (<c>sha256:BASE64</c>, what --pin takes); <see cref="Pinned"/>: a pin was given and matched it;
/// <see cref="VerificationError"/>: why the chain or name did not verify (null when it did).
/// </summary>
public sealed record TlsInfo(
    string Protocol,
    string? CipherSuite,
    string? Alpn,
    string ServerName,
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string Sha256Fingerprint,
    bool Verified,
    string PublicKeyPin = "",
    bool Pinned = false,
    string? VerificationError = null);
