using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Nsock.Core;

// Reading certificates and keys from files, with one-line errors that name the option and the file.
internal static class TlsFiles
{
    /// <summary>Every CERTIFICATE block of a PEM file (a bundle is fine); anything else in it is ignored.</summary>
    public static X509Certificate2Collection ReadPemCertificates(string path, string option)
    {
        string text = ReadText(path, option);
        const string Begin = "-----BEGIN CERTIFICATE-----", End = "-----END CERTIFICATE-----";
        var certs = new X509Certificate2Collection();
        int at = 0;
        while ((at = text.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
        {
            int end = text.IndexOf(End, at, StringComparison.Ordinal);
            if (end < 0) break;
            string body = text.Substring(at + Begin.Length, end - at - Begin.Length);
            try
            {
                certs.Add(new X509Certificate2(Convert.FromBase64String(body)));
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                throw NsockException.BadInput($"{option} '{path}': a certificate in it cannot be read: {e.Message}");
            }
            at = end + End.Length;
        }
        if (certs.Count == 0) throw NsockException.BadInput($"{option} '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        return certs;
    }

    /// <summary>
    /// Our own certificate (a listener's, or a client's for mutual TLS) with its private key: PEM (the key in <paramref name="keyPath"/>, or in the same file;
    /// encrypted when a password is given) or PKCS#12/PFX (anything that is not PEM text).
    /// </summary>
    public static X509Certificate2 ReadCertificate(string certPath, string? keyPath, string? password, IOptionNames names)
    {
#if NET
        string certOption = names.Option(NsockOption.TlsCertificate), keyOption = names.Option(NsockOption.TlsKey);
        byte[] raw = ReadBytes(certPath, certOption);
        bool pem = Encoding.ASCII.GetString(raw, 0, Math.Min(raw.Length, 4096)).Contains("-----BEGIN");
        if (keyPath is not null) ReadBytes(keyPath, keyOption); // a missing or unreadable key file is named as such
        try
        {
            if (!pem)
            {
                if (keyPath is not null) throw NsockException.BadInput($"{keyOption} goes with a PEM certificate; '{certPath}' is not PEM (a PFX holds its key)");
#pragma warning disable SYSLIB0057 // X509CertificateLoader is .NET 9+; this builds for net8.0
                using var pfx = new X509Certificate2(raw, password, X509KeyStorageFlags.Exportable);
#pragma warning restore SYSLIB0057
                return WithUsableKey(pfx);
            }
            using X509Certificate2 cert = password is null
                ? X509Certificate2.CreateFromPemFile(certPath, keyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(certPath, password, keyPath);
            return WithUsableKey(cert);
        }
        catch (CryptographicException e)
        {
            string what = pem ? $"{certOption} '{certPath}'{(keyPath is null ? "" : $" with {keyOption} '{keyPath}'")}" : $"{certOption} '{certPath}' (PFX)";
            throw NsockException.BadInput($"{what}: cannot load the certificate and its private key: {e.Message.Trim()}");
        }
        catch (ArgumentException e)
        {
            throw NsockException.BadInput($"{certOption} '{certPath}': no private key found (give {keyOption} FILE): {e.Message.Trim()}");
        }
#else
        throw new PlatformNotSupportedException("TLS listeners need .NET 8 or later");
#endif
    }

    // A key made or read in memory is given to the TLS library as a PKCS#12 round trip: Windows' SChannel cannot use
    // an ephemeral key otherwise, and elsewhere it costs a millisecond once per run.
    internal static X509Certificate2 WithUsableKey(X509Certificate2 cert)
    {
#pragma warning disable SYSLIB0057
        return new X509Certificate2(cert.Export(X509ContentType.Pkcs12));
#pragma warning restore SYSLIB0057
    }

    private static string ReadText(string path, string option) => Encoding.ASCII.GetString(ReadBytes(path, option));

    private static byte[] ReadBytes(string path, string option)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw NsockException.BadInput($"cannot read {option} '{path}': {e.Message}");
        }
    }
}
