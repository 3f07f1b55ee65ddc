using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// TLS on a listener's accepted connections (listen --tls): the certificate is read or made once, in Validate; each
// client's handshake runs on its own, bounded by the handshake timeout, so a client that never handshakes holds up
// nobody else. With client CAs, a client must present a certificate that chains to one of them (mutual TLS).
internal sealed class TlsServer
{
    /// <summary>The handshake timeout when none is given.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2Collection? _clientCas;
    private readonly TimeSpan _timeout;
#if NET
    private readonly SslStreamCertificateContext _context;
#endif

    private TlsServer(X509Certificate2 certificate, X509Certificate2Collection? clientCas, TimeSpan timeout, bool selfSigned)
    {
        _certificate = certificate;
        _clientCas = clientCas;
        _timeout = timeout;
        SelfSigned = selfSigned;
#if NET
        _context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
#endif
        CertificateSha256 = TlsFingerprints.Certificate(certificate);
        KeyPin = TlsFingerprints.KeyPin(certificate);
    }

    /// <summary>SHA-256 of the certificate (hex pairs), as <see cref="TlsInfo.Sha256Fingerprint"/> shows a server's.</summary>
    public string CertificateSha256 { get; }

    /// <summary><c>sha256:BASE64</c> of the certificate's SubjectPublicKeyInfo: what a client pins.</summary>
    public string KeyPin { get; }

    public bool SelfSigned { get; }

    public DateTimeOffset NotAfter => new(_certificate.NotAfter.ToUniversalTime());

    /// <summary>The listener's TLS from the request's options, or null without TLS; options that need TLS are refused without it.</summary>
    public static TlsServer? From(ListenRequest r, Endpoint listen, IOptionNames names)
    {
        string Opt(NsockOption o) => names.Option(o);
        bool tls = r.Tls || r.TlsSelfSigned;
        if (!tls)
        {
            NsockOption? stray = r.CertificatePath is not null || r.Certificate is not null ? NsockOption.TlsCertificate
                : r.KeyPath is not null ? NsockOption.TlsKey
                : r.CertificatePassword is not null ? NsockOption.TlsCertificatePassword
                : r.ClientCaPath is not null ? NsockOption.TlsClientCa
                : r.TlsHandshakeTimeout is not null ? NsockOption.TlsHandshakeTimeout : null;
            if (stray is NsockOption o) throw NsockException.BadInput($"{Opt(o)} applies to TLS: give {Opt(NsockOption.Tls)}");
            return null;
        }
#if !NET
        throw NsockException.BadInput($"{Opt(NsockOption.Tls)} on a listener needs PowerShell 7 or the nsock command; this .NET cannot serve TLS");
#else
        if (listen.Transport != Transport.Tcp)
            throw NsockException.BadInput($"TLS runs over TCP: {Opt(NsockOption.Tls)} does not combine with a {listen.Transport.ToText()} listener");
        bool given = r.CertificatePath is not null || r.Certificate is not null;
        if (r.TlsSelfSigned && given)
            throw NsockException.BadInput($"{Opt(NsockOption.TlsSelfSigned)} makes a certificate and {Opt(NsockOption.TlsCertificate)} gives one: give one of them");
        if (!r.TlsSelfSigned && !given)
            throw NsockException.BadInput($"{Opt(NsockOption.Tls)} on a listener needs a certificate: {Opt(NsockOption.TlsCertificate)} FILE (with {Opt(NsockOption.TlsKey)} FILE for PEM), or {Opt(NsockOption.TlsSelfSigned)}");
        if (r.KeyPath is not null && r.CertificatePath is null)
            throw NsockException.BadInput($"{Opt(NsockOption.TlsKey)} goes with {Opt(NsockOption.TlsCertificate)} FILE");
        double? seconds = Seconds.Check(r.TlsHandshakeTimeout, Opt(NsockOption.TlsHandshakeTimeout));
        TimeSpan timeout = seconds is double s ? (s > 0 ? TimeSpan.FromSeconds(s) : Timeout.InfiniteTimeSpan) : DefaultHandshakeTimeout;
        X509Certificate2Collection? cas = r.ClientCaPath is null ? null : TlsFiles.ReadPemCertificates(r.ClientCaPath, Opt(NsockOption.TlsClientCa));
        X509Certificate2 cert = r.TlsSelfSigned ? SelfSignedCertificate.Create(listen.Host)
            : r.Certificate ?? TlsFiles.ReadCertificate(r.CertificatePath!, r.KeyPath, r.CertificatePassword, names);
        if (!cert.HasPrivateKey)
            throw NsockException.BadInput($"{Opt(NsockOption.TlsCertificate)}: the certificate has no private key (give {Opt(NsockOption.TlsKey)} FILE, or a PFX that holds it)");
        return new TlsServer(cert, cas, timeout, r.TlsSelfSigned);
#endif
    }

    /// <summary>
    /// Handshakes with an accepted client (the stream does not own the socket) and says what was negotiated, from the
    /// listener's side (<see cref="ClientTlsNegotiated"/>). A failure (a bad or missing client certificate, not TLS at
    /// all, the timeout) throws <see cref="NsockException"/> naming it; the caller closes the socket.
    /// </summary>
    public async Task<(TlsStream Stream, TlsInfo Info)> AcceptAsync(Socket client, CancellationToken ct)
    {
#if NET
        TlsStateLock tlsState = new();
        string? failure = null;
        bool Validate(object sender, X509Certificate? cert, X509Chain? chain, SslPolicyErrors errors)
        {
            if (_clientCas is null) return true;
            if (cert is null)
            {
                failure = "the client sent no certificate (this listener requires one)";
                return false;
            }
            failure = TlsConnector.CheckAgainst(_clientCas, cert, chain);
            return failure is null;
        }

        var ssl = new SslStream(new TlsSocketStream(client, tlsState), leaveInnerStreamOpen: false, Validate);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(_timeout);
        try
        {
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _context,
                ClientCertificateRequired = _clientCas is not null,
                // A client's certificate must not make the listener fetch the URL in it (its AIA): no downloads, as for clients.
                CertificateChainPolicy = new X509ChainPolicy { RevocationMode = X509RevocationMode.NoCheck, DisableCertificateDownloads = true },
            };
            await ssl.AuthenticateAsServerAsync(options, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            ssl.Dispose();
            ct.ThrowIfCancellationRequested();
            if (cts.IsCancellationRequested)
                throw new NsockException(NsockErrorKind.TimedOut, $"TLS handshake timed out after {_timeout.TotalSeconds:0.###}s");
            string why = failure is not null ? $"client certificate refused: {failure}" : e.InnerException?.Message ?? e.Message;
            throw new NsockException(NsockErrorKind.Tls, $"TLS handshake failed: {why}", e);
        }
        return (new TlsStream(ssl, tlsState), Describe(ssl, verified: _clientCas is not null && failure is null));
#else
        await Task.CompletedTask.ConfigureAwait(false);
        throw new NsockException(NsockErrorKind.BadInput, "TLS listeners need .NET 8 or later");
#endif
    }

#if NET
    // The client's side of the handshake as the shape a client reports its server in (one engine type): the name it
    // asked for, and its certificate when it sent one (only asked for with client CAs, so one sent was verified).
    private static TlsInfo Describe(SslStream ssl, bool verified)
    {
        using X509Certificate2? cert = ssl.RemoteCertificate is null ? null : new X509Certificate2(ssl.RemoteCertificate);
        return new TlsInfo(
            ssl.SslProtocol.ToString(),
            ssl.NegotiatedCipherSuite.ToString(),
            ssl.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : ssl.NegotiatedApplicationProtocol.ToString(),
            ssl.TargetHostName ?? "",
            cert?.Subject ?? "",
            cert?.Issuer ?? "",
            cert is null ? default : new DateTimeOffset(cert.NotBefore.ToUniversalTime()),
            cert is null ? default : new DateTimeOffset(cert.NotAfter.ToUniversalTime()),
            cert is null ? "" : TlsFingerprints.Certificate(cert),
            cert is not null && verified,
            cert is null ? "" : TlsFingerprints.KeyPin(cert));
    }
#endif
}
