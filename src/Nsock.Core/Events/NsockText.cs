using System.Globalization;
using System.Text;

namespace Nsock.Core;

/// <summary>
/// The words nsock prints for its states, the same in the command's text and <c>--json</c> and in the module's views
/// and messages: <c>sent</c>, <c>content-length</c>, <c>tcp</c>. One place, so the faces cannot drift; each is a
/// constant string (printing one allocates nothing).
/// </summary>
public static class NsockText
{
    /// <summary>sent, received, skipped, refused or failed.</summary>
    public static string ToText(this FileStatus status) => status switch
    {
        FileStatus.Sent => "sent",
        FileStatus.Received => "received",
        FileStatus.Skipped => "skipped",
        FileStatus.Refused => "refused",
        FileStatus.Failed => "failed",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>none, chunked, content-length or close.</summary>
    public static string ToText(this HttpFraming framing) => framing switch
    {
        HttpFraming.None => "none",
        HttpFraming.Chunked => "chunked",
        HttpFraming.ContentLength => "content-length",
        HttpFraming.Close => "close",
        _ => framing.ToString().ToLowerInvariant(),
    };

    /// <summary>tcp, udp or unix.</summary>
    public static string ToText(this Transport transport) => transport switch
    {
        Transport.Tcp => "tcp",
        Transport.Udp => "udp",
        Transport.Unix => "unix",
        _ => transport.ToString().ToLowerInvariant(),
    };

    /// <summary>xxh128 or sha256.</summary>
    public static string ToText(this FileHashAlgorithm algorithm) => algorithm switch
    {
        FileHashAlgorithm.XXH128 => "xxh128",
        FileHashAlgorithm.SHA256 => "sha256",
        _ => algorithm.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Peer-chosen text (a file name, a reason phrase, a Location) made safe for a human-readable line: control
    /// characters (C0, DEL, C1) become <c>\r</c>, <c>\n</c>, <c>\t</c> or <c>\xHH</c>, and bidirectional overrides and
    /// isolates (U+202A–U+202E, U+2066–U+2069) become <c>\uHHHH</c>, so a peer can neither forge a second line,
    /// send terminal escapes, nor reorder what a reader sees. Text that needs none of it is returned as it is.
    /// </summary>
    public static string Printable(string? text)
    {
        if (text is null) return "";
        int i = 0;
        while (i < text.Length && !NeedsEscape(text[i])) i++;
        if (i == text.Length) return text;
        var result = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++) AppendPrintable(result, text[i]);
        return result.ToString();
    }

    /// <summary>
    /// Text read off the wire one byte per character (an HTTP head, decoded as Latin-1) made printable: where the
    /// bytes are UTF-8 they are shown as the characters they encode, any other byte of 0x80 or more as <c>\xHH</c>,
    /// and then the rule of <see cref="Printable"/> applies (so U+202E sent as UTF-8 shows as <c>\u202e</c>).
    /// </summary>
    public static string PrintableWire(string? latin1)
    {
        if (latin1 is null) return "";
        var result = new StringBuilder(latin1.Length + 16);
        int i = 0;
        while (i < latin1.Length)
        {
            int b = latin1[i];
            if (b < 0x80 || b > 0xFF)
            {
                AppendPrintable(result, latin1[i]);
                i++;
                continue;
            }
            int length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            int code = length switch { 2 => b & 0x1F, 3 => b & 0x0F, 4 => b & 0x07, _ => 0 };
            bool valid = length > 0 && i + length <= latin1.Length;
            for (int k = 1; valid && k < length; k++)
            {
                int c = latin1[i + k];
                if ((c & 0xC0) != 0x80 || c > 0xFF) valid = false;
                else code = (code << 6) | (c & 0x3F);
            }
            // No overlong forms, no surrogates, nothing past U+10FFFF.
            if (valid && ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) || (code >= 0xD800 && code <= 0xDFFF)))
                valid = false;
            if (!valid)
            {
                result.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));
                i++;
                continue;
            }
            if (code > 0xFFFF) result.Append(char.ConvertFromUtf32(code));
            else AppendPrintable(result, (char)code);
            i += length;
        }
        return result.ToString();
    }

    private static bool NeedsEscape(char c) => c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');

    private static void AppendPrintable(StringBuilder to, char c)
    {
        if (!NeedsEscape(c))
        {
            to.Append(c);
            return;
        }
        switch (c)
        {
            case '\r': to.Append("\\r"); break;
            case '\n': to.Append("\\n"); break;
            case '\t': to.Append("\\t"); break;
            default:
                if (c <= 0xFF) to.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                else to.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                break;
        }
    }
}
