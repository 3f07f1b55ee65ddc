using System;

namespace Nsock.Core;

/// <summary>What the TLS handshake settled and the certificate the server presented.</summary>
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
    bool Verified);
