using System;

namespace Nsock.Core;

/// <summary>
/// What <c>probe --tls</c> (Test-SocketPort -UseTls) found on an open TCP port: whether it completed a TLS handshake
/// within the timeout (any certificate is accepted for the look: the probe reports, it does not trust), the server
/// certificate's subject and expiry, and whether it verifies against the system store or the given CA file.
/// </summary>
/// <param name="SpeaksTls">A TLS handshake completed within the timeout.</param>
/// <param name="Subject">The certificate's subject (null without a handshake).</param>
/// <param name="NotAfter">When the certificate expires.</param>
/// <param name="DaysLeft">Whole days until <paramref name="NotAfter"/>, rounded down; negative once expired.</param>
/// <param name="Verified">The chain and the name verified (system store, or the CA file).</param>
/// <param name="Problem">Why there was no handshake, or why the certificate did not verify; null when all is well.</param>
/// <param name="Details">Everything the handshake settled (the shape of the tls event); null without one.</param>
public sealed record TlsCheck(bool SpeaksTls, string? Subject, DateTimeOffset? NotAfter, int? DaysLeft, bool Verified, string? Problem, TlsInfo? Details);
