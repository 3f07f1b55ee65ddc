using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nsock.Core;

// The two ways a certificate is named by hash: the whole certificate (what browsers and openssl x509 -fingerprint
// show) and its public key (what a client pins: it stays the same when the certificate is renewed with the same key).
internal static class TlsFingerprints
{
    /// <summary>SHA-256 of the certificate's DER bytes as colon-separated hex pairs (<c>AB:CD:…</c>).</summary>
    public static string Certificate(X509Certificate2 cert)
    {
        return Hex(cert.RawData);
    }

    /// <summary>SHA-256 of <paramref name="raw"/> as colon-separated upper-case hex pairs (<c>AB:CD:…</c>).</summary>
    public static string Hex(byte[] raw)
    {
        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(raw);
        var text = new System.Text.StringBuilder(hash.Length * 3);
        foreach (byte b in hash)
        {
            if (text.Length > 0) text.Append(':');
            text.Append(b.ToString("X2"));
        }
        return text.ToString();
    }

    /// <summary><c>sha256:BASE64</c> of the certificate's DER SubjectPublicKeyInfo (the HPKP/curl --pinnedpubkey form).</summary>
    public static string KeyPin(X509Certificate2 cert)
    {
        using var sha = SHA256.Create();
        return "sha256:" + Convert.ToBase64String(sha.ComputeHash(SubjectPublicKeyInfo(cert)));
    }

    private static byte[] SubjectPublicKeyInfo(X509Certificate2 cert)
    {
#if NET
        return cert.PublicKey.ExportSubjectPublicKeyInfo();
#else
        throw new PlatformNotSupportedException("a key pin needs .NET 8 or later");
#endif
    }
}
