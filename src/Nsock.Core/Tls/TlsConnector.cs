using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The TLS client side: certificate verified by default, with the reason it failed named in the error;
// skipping verification is an explicit choice whose result still records whether it would have passed.
internal static class TlsConnector
{
    // A private CA (--ca) replaces the system store: the chain must end at one of its certificates. Pins (--pin)
    // replace verification: the server's key must be one of them, and the chain need not verify (a throwaway
    // self-signed server is what a pin is for); Verified still says what the chain said. ALPN: the protocols offered
    // (null: http/1.1 when offerHttp11). A client certificate is sent whatever CAs the server names (as curl does).
    public static async Task<(SslStream Stream, TlsInfo Info)> AuthenticateAsync(Stream inner, string host, string? sni, bool insecure, TimeSpan timeout, IOptionNames names, CancellationToken ct,
        X509Certificate2Collection? trust = null, bool offerHttp11 = true, IReadOnlyList<string>? pins = null, IReadOnlyList<string>? alpn = null, X509Certificate2? clientCertificate = null)
    {
        string serverName = sni ?? host;
        string? failure = null;
        string? pinFailure = null;
        bool verified = false;
        bool pinned = false;
        string peerPin = "";
        bool Validate(object sender, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors)
        {
#if NET
            if (cert is not null) peerPin = TlsFingerprints.KeyPin(cert as X509Certificate2 ?? new X509Certificate2(cert));
#endif
            if (pins is not null)
            {
                pinned = cert is not null && IsOneOf(peerPin, pins);
                if (!pinned) pinFailure = cert is null ? "the server sent no certificate to match the pin" : $"public key pin mismatch: expected {string.Join(" or ", pins)}, the server's key is {peerPin}";
            }
            string? trustFailure = null;
            if (trust is not null && cert is not null)
            {
                trustFailure = CheckAgainst(trust, cert, chain);
                errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
            }
            verified = errors == SslPolicyErrors.None && trustFailure is null;
            if (!verified)
            {
                string? described = errors == SslPolicyErrors.None ? null : Describe(errors, chain, serverName);
                failure = described is null ? trustFailure : trustFailure is null ? described : described + "; " + trustFailure;
            }
            return pins is not null ? pinned : insecure || verified;
        }

        var ssl = new SslStream(inner, leaveInnerStreamOpen: false, Validate);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
#if NET
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = serverName,
                ApplicationProtocols = alpn is not null ? Protocols(alpn) : offerHttp11 ? new() { SslApplicationProtocol.Http11 } : null,
                // Never fetch an issuer the server left out (the certificate's AIA URL), as openssl and curl do not:
                // the same answer on every face (the Linux AOT binary has no HTTP client for it at all) and no request
                // to a third party while checking a port. Revocation is not checked (no CRL or OCSP fetch either).
                CertificateChainPolicy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true },
            };
            if (clientCertificate is not null)
            {
                options.ClientCertificates = new X509CertificateCollection { clientCertificate };
                options.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
            }
            await ssl.AuthenticateAsClientAsync(options, cts.Token).ConfigureAwait(false);
#else
            using (cts.Token.Register(static s => ((SslStream)s!).Dispose(), ssl))
                await ssl.AuthenticateAsClientAsync(serverName, clientCertificate is null ? null : new X509CertificateCollection { clientCertificate }, SslProtocols.None, checkCertificateRevocation: false).ConfigureAwait(false);
#endif
        }
        catch (Exception e) when (e is AuthenticationException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            ssl.Dispose();
            ct.ThrowIfCancellationRequested();
            if (cts.IsCancellationRequested) throw new NsockException(NsockErrorKind.TimedOut, $"TLS handshake with {serverName} timed out after {timeout.TotalSeconds:0.###}s");
            string why = pinFailure is not null ? $"{pinFailure} ({names.Option(NsockOption.Pin)})"
                : failure is not null && pins is null && !insecure
                ? $"certificate verification failed: {failure} (use {names.Option(NsockOption.Insecure)} to skip verification)"
                : e.InnerException?.Message ?? e.Message;
            throw new NsockException(NsockErrorKind.Tls, $"TLS handshake with {serverName} failed: {why}", e);
        }

        var cert = ssl.RemoteCertificate is null ? null : new X509Certificate2(ssl.RemoteCertificate);
        string fingerprint = cert is null ? "" : Fingerprint(cert.RawData);
        var info = new TlsInfo(
            ssl.SslProtocol.ToString(),
#if NET
            ssl.NegotiatedCipherSuite.ToString(),
            ssl.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : ssl.NegotiatedApplicationProtocol.ToString(),
#else
            null,
            null,
#endif
            serverName,
            cert?.Subject ?? "",
            cert?.Issuer ?? "",
            cert is null ? default : new DateTimeOffset(cert.NotBefore.ToUniversalTime()),
            cert is null ? default : new DateTimeOffset(cert.NotAfter.ToUniversalTime()),
            fingerprint,
            verified,
            peerPin,
            pinned,
            verified ? null : failure);
        return (ssl, info);
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain, string serverName)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return "the server sent no certificate";
        var reasons = new System.Collections.Generic.List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) reasons.Add($"the certificate is not for '{serverName}'");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chain is not null)
        {
            string issuer = chain.ChainElements.Count > 0 ? chain.ChainElements[chain.ChainElements.Count - 1].Certificate.Issuer : "";
            foreach (X509ChainStatus s in chain.ChainStatus)
            {
                if (s.Status != X509ChainStatusFlags.NoError) AddOnce(reasons, Reason(s, issuer));
            }
        }
        return reasons.Count == 0 ? errors.ToString() : string.Join("; ", reasons);
    }

    // The chain built again with the private CAs as the only roots: any problem but "the root is not in the system
    // store" counts (expired, not yet valid, bad signature), and the root must be one of the given certificates.
    internal static string? CheckAgainst(X509Certificate2Collection trust, X509Certificate cert, X509Chain? presented)
    {
        using var leaf = new X509Certificate2(cert);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
#if NET
        chain.ChainPolicy.DisableCertificateDownloads = true; // as in AuthenticateAsync
#endif
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        chain.ChainPolicy.ExtraStore.AddRange(trust);
        if (presented is not null)
        {
            foreach (X509ChainElement e in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(e.Certificate);
        }
        chain.Build(leaf);
        var problems = new List<string>();
        foreach (X509ChainStatus s in chain.ChainStatus)
        {
            if (s.Status is not (X509ChainStatusFlags.NoError or X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain)) AddOnce(problems, Reason(s, ""));
        }
        X509Certificate2 root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        bool anchored = false;
        foreach (X509Certificate2 t in trust) anchored |= t.RawData.AsSpan().SequenceEqual(root.RawData);
        if (!anchored) problems.Insert(0, $"unknown CA: issuer '{root.Issuer}' is not a CA of the given CA file (UntrustedRoot)");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    // The chain's status in the user's words first (unknown CA, expired), the runtime's own words after.
    private static string Reason(X509ChainStatus s, string issuer)
    {
        string why = s.StatusInformation.Trim();
        string plain = s.Status switch
        {
            X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => $"unknown CA: issuer '{issuer}' is not trusted",
            X509ChainStatusFlags.NotTimeValid => "expired or not yet valid",
            X509ChainStatusFlags.Revoked => "revoked",
            _ => "",
        };
        return plain.Length == 0 ? $"{s.Status} ({why})" : $"{plain} ({s.Status}: {why})";
    }

    private static string Fingerprint(byte[] raw) => TlsFingerprints.Hex(raw);

    // Loops instead of LINQ here and above: each LINQ call over an element type of its own (X509ChainStatus,
    // SslApplicationProtocol) adds its generic code to the native binary (issue #13).
    private static bool IsOneOf(string pin, IReadOnlyList<string> pins)
    {
        foreach (string p in pins)
        {
            if (string.Equals(p, pin, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static void AddOnce(List<string> reasons, string reason)
    {
        if (!reasons.Contains(reason)) reasons.Add(reason);
    }

#if NET
    private static List<SslApplicationProtocol> Protocols(IReadOnlyList<string> alpn)
    {
        var protocols = new List<SslApplicationProtocol>(alpn.Count);
        foreach (string p in alpn) protocols.Add(new SslApplicationProtocol(p));
        return protocols;
    }
#endif
}
