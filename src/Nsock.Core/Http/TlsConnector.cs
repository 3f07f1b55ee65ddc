using System;
using System.IO;
using System.Linq;
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
    public static async Task<(SslStream Stream, TlsInfo Info)> AuthenticateAsync(Stream inner, string host, string? sni, bool insecure, TimeSpan timeout, IOptionNames names, CancellationToken ct)
    {
        string serverName = sni ?? host;
        string? failure = null;
        bool verified = false;
        bool Validate(object sender, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors)
        {
            verified = errors == SslPolicyErrors.None;
            if (!verified) failure = Describe(errors, chain, serverName);
            return insecure || verified;
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
                ApplicationProtocols = new() { SslApplicationProtocol.Http11 },
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
            await ssl.AuthenticateAsClientAsync(options, cts.Token).ConfigureAwait(false);
#else
            using (cts.Token.Register(static s => ((SslStream)s!).Dispose(), ssl))
                await ssl.AuthenticateAsClientAsync(serverName).ConfigureAwait(false);
#endif
        }
        catch (Exception e) when (e is AuthenticationException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            ssl.Dispose();
            ct.ThrowIfCancellationRequested();
            if (cts.IsCancellationRequested) throw new NsockException(NsockErrorKind.TimedOut, $"TLS handshake with {serverName} timed out after {timeout.TotalSeconds:0.###}s");
            string why = failure is not null
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
            verified);
        return (ssl, info);
    }

    private static string Describe(SslPolicyErrors errors, X509Chain? chain, string serverName)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return "the server sent no certificate";
        var reasons = new System.Collections.Generic.List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) reasons.Add($"the certificate is not for '{serverName}'");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chain is not null)
        {
            reasons.AddRange(chain.ChainStatus
                .Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => $"{s.Status} ({s.StatusInformation.Trim()})")
                .Distinct());
        }
        return reasons.Count == 0 ? errors.ToString() : string.Join("; ", reasons);
    }

    private static string Fingerprint(byte[] raw)
    {
        using var sha = SHA256.Create();
        return string.Join(":", sha.ComputeHash(raw).Select(b => b.ToString("X2")));
    }
}
