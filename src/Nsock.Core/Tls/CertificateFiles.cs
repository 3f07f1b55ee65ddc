using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nsock.Core;

// "My certificate" from files, the one loader for both sides (a client's --cert/--key for mutual TLS; a listener's
// --cert/--key): PEM (certificate and key in two files, or both in one) or PKCS#12 (.pfx/.p12, with a password or
// none). Every failure is bad input naming the option and the file, never a stack trace.
internal static class CertificateFiles
{
    /// <summary>The certificate with its private key. <paramref name="keyPath"/>: the PEM key (null: in the certificate
    /// file, or a PKCS#12 file); <paramref name="password"/>: the PKCS#12 password (or an encrypted PEM key's).</summary>
    public static X509Certificate2 Load(string certPath, string? keyPath, string? password, IOptionNames names)
    {
        string certOption = names.Option(NsockOption.Certificate);
        byte[] raw = Read(certPath, certOption);
        bool pem = LooksLikePem(raw);
        if (!pem)
        {
            if (keyPath is not null)
                throw NsockException.BadInput($"{certOption} '{certPath}' is not PEM (a PKCS#12/PFX file holds its own key): give no {names.Option(NsockOption.KeyFile)}");
            try
            {
                var pfx = new X509Certificate2(raw, password, X509KeyStorageFlags.Exportable);
                if (!pfx.HasPrivateKey) throw NsockException.BadInput($"{certOption} '{certPath}' holds no private key");
                return pfx;
            }
            catch (CryptographicException e)
            {
                throw NsockException.BadInput($"{certOption} '{certPath}' is neither PEM nor a PKCS#12/PFX file this password opens: {e.Message}");
            }
        }
#if NET
        string keyFile = keyPath ?? certPath;
        if (keyPath is not null) Read(keyPath, names.Option(NsockOption.KeyFile)); // named as the key when it cannot be read
        try
        {
            X509Certificate2 loaded = password is null
                ? X509Certificate2.CreateFromPemFile(certPath, keyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(certPath, password, keyFile);
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return loaded;
            // Windows' TLS (SChannel) cannot use a key that lives only in memory: a round trip through PKCS#12 gives it one.
            using (loaded) return new X509Certificate2(loaded.Export(X509ContentType.Pkcs12));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            string where = keyPath is null ? $"{certOption} '{certPath}' (no {names.Option(NsockOption.KeyFile)} given: the key must be in it)" : $"{certOption} '{certPath}' with {names.Option(NsockOption.KeyFile)} '{keyPath}'";
            throw NsockException.BadInput($"{where}: cannot load the certificate and its key: {e.Message}");
        }
#else
        throw NsockException.BadInput($"{certOption} '{certPath}': PEM certificates need PowerShell 7 (.NET 8); give a PKCS#12/PFX file here");
#endif
    }

    private static byte[] Read(string path, string option)
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

    private static bool LooksLikePem(byte[] raw)
    {
        string head = System.Text.Encoding.ASCII.GetString(raw, 0, Math.Min(raw.Length, 4096));
        return head.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0;
    }
}
