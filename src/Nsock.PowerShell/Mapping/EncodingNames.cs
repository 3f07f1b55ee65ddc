using System;
using System.Globalization;
using System.Text;
using Nsock.Core;

namespace Nsock.PowerShell;

/// <summary>
/// <c>-Encoding</c> names as PowerShell users write them (utf8, ascii, unicode, bigendianunicode, utf32, latin1,
/// or any web name or code page number .NET knows). UTF-8 is the default, as the command sends text; no
/// encoding here ever writes a byte-order mark onto a socket.
/// </summary>
internal static class EncodingNames
{
    /// <summary>UTF-8 without a byte-order mark.</summary>
    public static readonly Encoding Default = new UTF8Encoding(false);

    /// <summary>The encoding <paramref name="name"/> names; BadInput when none.</summary>
    public static Encoding Resolve(string name)
    {
        string n = (name ?? "").Trim();
        switch (n.ToLowerInvariant())
        {
            case "":
            case "default":
            case "utf8":
            case "utf-8":
            case "utf8nobom":
            case "utf8bom":
                return Default;
            case "ascii":
                return Encoding.ASCII;
            case "unicode":
            case "utf16":
            case "utf-16":
            case "utf16le":
                return new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
            case "bigendianunicode":
            case "utf16be":
            case "utf-16be":
                return new UnicodeEncoding(bigEndian: true, byteOrderMark: false);
            case "utf32":
            case "utf-32":
                return new UTF32Encoding(bigEndian: false, byteOrderMark: false);
            case "latin1":
            case "iso-8859-1":
                return Encoding.GetEncoding(28591);
        }
        try
        {
            return int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int codePage) ? Encoding.GetEncoding(codePage) : Encoding.GetEncoding(n);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new NsockException(NsockErrorKind.BadInput, $"'{name}' is not an encoding (use utf8, ascii, unicode, bigendianunicode, utf32, latin1 or a code page)", e);
        }
    }
}
