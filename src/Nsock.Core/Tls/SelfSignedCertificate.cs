using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nsock.Core;

// listen --tls-self-signed: a throwaway certificate made in memory for this run only (never written to disk): ECDSA
// P-256, valid for 7 days from 5 minutes ago (a client's clock a little behind still accepts it), for the names a
// client on this machine or the listener's own address would use. A client verifies it by pinning its key.
internal static class SelfSignedCertificate
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    public static X509Certificate2 Create(string? listenHost)
    {
#if NET
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=nsock self-signed", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        string machine = Environment.MachineName;
        if (Uri.CheckHostName(machine) == UriHostNameType.Dns && !string.Equals(machine, "localhost", StringComparison.OrdinalIgnoreCase)) san.AddDnsName(machine);
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        if (listenHost is not null)
        {
            if (IPAddress.TryParse(listenHost.Trim('[', ']'), out IPAddress? address))
            {
                if (!address.Equals(IPAddress.Any) && !address.Equals(IPAddress.IPv6Any) && !IPAddress.IsLoopback(address)) san.AddIpAddress(address);
            }
            else if (Uri.CheckHostName(listenHost) == UriHostNameType.Dns && !string.Equals(listenHost, "localhost", StringComparison.OrdinalIgnoreCase)
                && !string.Equals(listenHost, machine, StringComparison.OrdinalIgnoreCase))
            {
                san.AddDnsName(listenHost);
            }
        }
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 made = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
        return TlsFiles.WithUsableKey(made);
#else
        throw new PlatformNotSupportedException("a self-signed certificate needs .NET 8 or later");
#endif
    }
}
