using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Nsock.PowerShell;

/// <summary>
/// Turns pipeline objects into the records Send-SocketData and New-SocketListener send: a string is encoded
/// (with a newline after it when asked, as --newline does), a byte array goes as it is, and single bytes (what
/// PowerShell makes of a byte array sent down the pipeline) are joined until something else comes, so
/// <c>[byte[]](1,2,3) | Send-SocketData -Udp</c> is one datagram. Anything else is sent as its text.
/// </summary>
internal sealed class InputRecords
{
    private readonly Encoding _encoding;
    private readonly bool _newline;
    private MemoryStream? _bytes;

    public InputRecords(Encoding encoding, bool newline)
    {
        _encoding = encoding;
        _newline = newline;
    }

    /// <summary>The records completed by <paramref name="item"/> (none while single bytes are being joined).</summary>
    public IEnumerable<byte[]> Add(object? item)
    {
        var done = new List<byte[]>(2);
        if (item is byte b)
        {
            (_bytes ??= new MemoryStream()).WriteByte(b);
            return done;
        }
        if (Flush() is byte[] joined) done.Add(joined);
        switch (item)
        {
            case null:
                break;
            case byte[] bytes:
                done.Add(bytes);
                break;
            case char[] chars:
                done.Add(Text(new string(chars)));
                break;
            default:
                done.Add(Text(Convert.ToString(item, CultureInfo.InvariantCulture) ?? ""));
                break;
        }
        return done;
    }

    /// <summary>The bytes joined so far as one record, or null.</summary>
    public byte[]? Flush()
    {
        if (_bytes is null) return null;
        byte[] record = _bytes.ToArray();
        _bytes = null;
        return record;
    }

    private byte[] Text(string s) => _encoding.GetBytes(_newline ? s + "\n" : s);
}
