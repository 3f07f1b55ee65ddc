using System;
using System.IO;
using System.IO.Hashing;
using System.Text;

namespace Nsock.Core;

// Where a file is received before it is verified: ".NAME.nsock-partial" beside it, the same name every run so
// --resume finds it. A name is at most 255 bytes on the file systems nsock meets, so for names of 242 bytes and
// more (which could not be received at all) the partial keeps the name's first 200 bytes and adds the XXH3-128 of the
// whole name: ".START~HASH.nsock-partial" (at most 248 bytes), still the same every run and still one per name.
internal static class PartialName
{
    private const int MaxNameBytes = 255, KeptBytes = 200;
    private const string Suffix = ".nsock-partial";

    /// <summary>The partial's full path for the file at <paramref name="final"/>.</summary>
    public static string For(string final)
    {
        string folder = Path.GetDirectoryName(final)!;
        string name = Path.GetFileName(final);
        string simple = "." + name + Suffix;
        // UTF-8 bytes are never fewer than UTF-16 units, so this also keeps Windows' 255-unit limit.
        if (Encoding.UTF8.GetByteCount(simple) <= MaxNameBytes) return Path.Combine(folder, simple);
        string hash = Hex(XxHash128.Hash(Encoding.UTF8.GetBytes(name)));
        return Path.Combine(folder, "." + Start(name) + "~" + hash + Suffix);
    }

    // The longest start of name within KeptBytes of UTF-8, never splitting a surrogate pair.
    private static string Start(string name)
    {
        int bytes = 0, i = 0;
        while (i < name.Length)
        {
            int units = char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]) ? 2 : 1;
            int size = Encoding.UTF8.GetByteCount(name.ToCharArray(i, units));
            if (bytes + size > KeptBytes) break;
            bytes += size;
            i += units;
        }
        return name.Substring(0, i);
    }

    private static string Hex(byte[] bytes)
    {
        var s = new StringBuilder(bytes.Length * 2);
        foreach (byte b in bytes) s.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        return s.ToString();
    }
}
