using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// A connecting cmdlet whose engine speaks TLS (Send-SocketData, Receive-SocketData): <c>-UseTls</c> (or a
/// <c>tls://host:port</c> -Endpoint), <c>-SkipCertificateCheck</c>, <c>-ServerName</c> and <c>-Certificate</c> as
/// Invoke-WebRequest and Get-HttpRaw name them, <c>-CertificateAuthorityPath</c> for a private CA (nsock --ca),
/// <c>-Pin</c>, <c>-Alpn</c> and <c>-CertificatePath</c>/<c>-KeyPath</c>/<c>-CertificatePassword</c> (nsock --pin,
/// --alpn, --cert, --key, --cert-password). Send-File takes them too; Invoke-UdpPing does not (UDP).
/// </summary>
public abstract class NsockTlsConnectionCmdlet : NsockConnectionCmdlet
{
    /// <summary>Speak TLS; the server's certificate is verified against the system store (or -CertificateAuthorityPath).</summary>
    [Parameter]
    [Alias("Tls")]
    public SwitchParameter UseTls { get; set; }

    /// <summary>Do not verify the server's certificate (a warning says so; the result's Tls.Verified says whether it would have passed).</summary>
    [Parameter]
    [Alias("Insecure")]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>A PEM file of CA certificates that verify the server instead of the system store (nsock --ca).</summary>
    [Parameter]
    [Alias("CaPath")]
    [ValidateNotNullOrEmpty]
    public string? CertificateAuthorityPath { get; set; }

    /// <summary>The TLS server name to send and verify (default: the host).</summary>
    [Parameter]
    [Alias("Sni")]
    [ValidateNotNullOrEmpty]
    public string? ServerName { get; set; }

    /// <summary>Accept exactly these server keys: sha256:BASE64 of the SubjectPublicKeyInfo (nsock --pin; the result's Tls.PublicKeyPin shows the server's). The chain need not verify.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Pin { get; set; }

    /// <summary>The application protocols to offer, in order of preference (nsock --alpn); the result's Tls.Alpn is the one chosen.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Alpn { get; set; }

    /// <summary>My certificate for mutual TLS as an object with its private key (as Invoke-WebRequest -Certificate).</summary>
    [Parameter]
    [ValidateNotNull]
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>My certificate for mutual TLS from a file: PEM (key in -KeyPath or in the same file) or PKCS#12/PFX (nsock --cert).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of -CertificatePath (nsock --key).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12/PFX -CertificatePath or of an encrypted PEM key (nsock --cert-password).</summary>
    [Parameter]
    [ValidateNotNull]
    public System.Security.SecureString? CertificatePassword { get; set; }

    /// <summary>What the TLS handshake settled, once it has.</summary>
    private protected TlsInfo? Tls { get; private set; }

    /// <summary>Says, every time, that the certificate will not be checked.</summary>
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (SkipCertificateCheck.IsPresent) WriteWarning("-SkipCertificateCheck: the server's certificate is not verified");
    }

    /// <summary>The target with the TLS parameters; the engine checks them (naming these parameters).</summary>
    internal ConnectTarget TlsTarget(bool udp = false) => Target(udp) with
    {
        Tls = UseTls.IsPresent,
        Insecure = SkipCertificateCheck.IsPresent,
        CaFile = CertificateAuthorityPath is null ? null : GetUnresolvedProviderPathFromPSPath(CertificateAuthorityPath),
        Sni = ServerName,
        Pin = Pin is null ? null : string.Join(",", Pin),
        Alpn = Alpn is null ? null : string.Join(",", Alpn),
        ClientCertificate = Certificate,
        CertificateFile = CertificatePath is null ? null : GetUnresolvedProviderPathFromPSPath(CertificatePath),
        KeyFile = KeyPath is null ? null : GetUnresolvedProviderPathFromPSPath(KeyPath),
        CertificatePassword = CertificatePassword is null ? null : new System.Net.NetworkCredential("", CertificatePassword).Password,
    };

    /// <summary>Takes a <see cref="TlsNegotiated"/> from the engine: kept for the result, said with -Verbose.</summary>
    private protected void NoteTls(object item)
    {
        if (item is not TlsNegotiated t) return;
        TlsInfo i = t.Tls;
        Tls = i;
        WriteVerbose($"TLS {i.Protocol} {i.CipherSuite} subject '{NsockText.Printable(i.Subject)}' issuer '{NsockText.Printable(i.Issuer)}' valid {i.NotBefore:yyyy-MM-dd} to {i.NotAfter:yyyy-MM-dd} sha256 {i.Sha256Fingerprint} pin {i.PublicKeyPin} alpn {i.Alpn ?? "-"}{(i.Pinned ? " (pinned)" : i.Verified ? "" : " (NOT verified)")}");
    }
}
