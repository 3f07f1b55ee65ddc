using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace Nsock.Core;

// A public key pin as curl's --pinnedpubkey and HPKP write it: "sha256:" and the base64 of the SHA-256 of the
// certificate's SubjectPublicKeyInfo (the key and its algorithm, DER). It survives a re-issued certificate with the
// same key, which a certificate fingerprint does not.
internal static class PublicKeyPin
{
    public const string Prefix = "sha256:";

    /// <summary>The pin of a DER certificate.</summary>
    public static string Of(byte[] certificate)
    {
        ArraySegment<byte> spki = SubjectPublicKeyInfo(certificate);
        using var sha = SHA256.Create();
        return Prefix + Convert.ToBase64String(sha.ComputeHash(spki.Array!, spki.Offset, spki.Count));
    }

    /// <summary>The pins in a comma-separated list (any case for "sha256:"); each must be 32 bytes of base64.</summary>
    public static IReadOnlyList<string> Parse(string text, string option)
    {
        var pins = new List<string>();
        foreach (string part in text.Split(','))
        {
            string p = part.Trim();
            if (p.Length == 0) continue;
            if (!p.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                throw NsockException.BadInput($"{option} '{NsockText.Printable(p)}' is not sha256:BASE64 (the SHA-256 of the server's public key, as the tls event's publicKeyPin shows it)");
            string b64 = p.Substring(Prefix.Length);
            byte[] hash;
            try
            {
                hash = Convert.FromBase64String(b64);
            }
            catch (FormatException)
            {
                throw NsockException.BadInput($"{option} '{NsockText.Printable(p)}': '{NsockText.Printable(b64)}' is not base64");
            }
            if (hash.Length != 32) throw NsockException.BadInput($"{option} '{NsockText.Printable(p)}': a SHA-256 is 32 bytes, this is {hash.Length}");
            pins.Add(Prefix + Convert.ToBase64String(hash));
        }
        if (pins.Count == 0) throw NsockException.BadInput($"{option} is empty: give sha256:BASE64 (several comma-separated)");
        return pins;
    }

    // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
    // validity, subject, subjectPublicKeyInfo, ... }, ... }: the seventh element of tbsCertificate (sixth without a version).
    private static ArraySegment<byte> SubjectPublicKeyInfo(byte[] der)
    {
        int at = 0;
        (int certBody, _) = Header(der, ref at, 0x30);
        at = certBody;
        (int tbsBody, _) = Header(der, ref at, 0x30);
        at = tbsBody;
        if (der[at] == 0xA0) Skip(der, ref at);
        for (int i = 0; i < 5; i++) Skip(der, ref at); // serial, signature, issuer, validity, subject
        int start = at;
        (int body, int length) = Header(der, ref at, 0x30);
        return new ArraySegment<byte>(der, start, body + length - start);
    }

    private static void Skip(byte[] der, ref int at)
    {
        (int body, int length) = Header(der, ref at, null);
        at = body + length;
    }

    // A DER tag and length at 'at': where the contents start and how long they are.
    private static (int Body, int Length) Header(byte[] der, ref int at, byte? tag)
    {
        if (at + 2 > der.Length || (tag is byte t && der[at] != t)) throw new CryptographicException("not a DER certificate");
        int i = at + 1;
        int length = der[i++];
        if (length >= 0x80)
        {
            int n = length & 0x7F;
            if (n is 0 or > 4 || i + n > der.Length) throw new CryptographicException("not a DER certificate");
            length = 0;
            for (int k = 0; k < n; k++) length = (length << 8) | der[i++];
        }
        if (length < 0 || i + length > der.Length) throw new CryptographicException("not a DER certificate");
        return (i, length);
    }
}
