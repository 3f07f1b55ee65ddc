using System;
using System.Globalization;
using System.IO;
using Nsock.Core;

namespace Nsock.Cli;

/// <summary>Decodes the backslash escapes a shell user types for bytes: \n \r \t \0 \\ \xHH; everything else as UTF-8.</summary>
internal static class Escapes
{
    public static byte[] Decode(string text, string optionName)
    {
        using var bytes = new MemoryStream();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\\')
            {
                int start = i;
                while (i + 1 < text.Length && text[i + 1] != '\\') i++;
                byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text.Substring(start, i - start + 1));
                bytes.Write(utf8, 0, utf8.Length);
                continue;
            }
            if (++i >= text.Length) throw new NsockException(NsockErrorKind.BadInput, $"{optionName} ends with a lone backslash");
            switch (text[i])
            {
                case 'n': bytes.WriteByte((byte)'\n'); break;
                case 'r': bytes.WriteByte((byte)'\r'); break;
                case 't': bytes.WriteByte((byte)'\t'); break;
                case '0': bytes.WriteByte(0); break;
                case '\\': bytes.WriteByte((byte)'\\'); break;
                case 'x' when i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b):
                    bytes.WriteByte(b);
                    i += 2;
                    break;
                default:
                    throw new NsockException(NsockErrorKind.BadInput, $@"{optionName} has an unknown escape '\{text[i]}' (use \n \r \t \0 \\ \xHH)");
            }
        }
        if (bytes.Length == 0) throw new NsockException(NsockErrorKind.BadInput, $"{optionName} is empty");
        return bytes.ToArray();
    }
}
