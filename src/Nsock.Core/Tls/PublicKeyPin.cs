using System;
using System.Collections.Generic;

namespace Nsock.Core;

// The pins --pin takes, as curl's --pinnedpubkey and HPKP write them: "sha256:" and the base64 of the SHA-256 of the
// certificate's SubjectPublicKeyInfo (TlsFingerprints.KeyPin computes a certificate's). A pin survives a re-issued
// certificate with the same key, which a certificate fingerprint does not.
internal static class PublicKeyPin
{
    public const string Prefix = "sha256:";

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
}
