using System.Management.Automation;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// A connecting cmdlet whose engine speaks TLS (Send-SocketData, Receive-SocketData): <c>-UseTls</c> (or a
/// <c>tls://host:port</c> -Endpoint), <c>-SkipCertificateCheck</c> and <c>-ServerName</c> as Invoke-WebRequest and
/// Get-HttpRaw name them, and <c>-CertificateAuthorityPath</c> for a private CA (nsock --ca). The cmdlets that cannot
/// speak TLS yet (Send-File, Invoke-UdpPing) do not show these parameters.
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
    };

    /// <summary>Takes a <see cref="TlsNegotiated"/> from the engine: kept for the result, said with -Verbose.</summary>
    private protected void NoteTls(object item)
    {
        if (item is not TlsNegotiated t) return;
        TlsInfo i = t.Tls;
        Tls = i;
        WriteVerbose($"TLS {i.Protocol} {i.CipherSuite} subject '{NsockText.Printable(i.Subject)}' issuer '{NsockText.Printable(i.Issuer)}' valid {i.NotBefore:yyyy-MM-dd} to {i.NotAfter:yyyy-MM-dd} sha256 {i.Sha256Fingerprint}{(i.Verified ? "" : " (NOT verified)")}");
    }
}
