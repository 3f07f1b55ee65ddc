using System;

namespace Nsock.Core;

// One line of a hex dump in the layout of hexdump -C: offset, up to 16 bytes in hex (a gap after the eighth),
// the printable ASCII between bars, LF. Written into a caller's buffer, so a dump allocates nothing per line.
internal static class HexDumpLine
{
    /// <summary>The longest line: 8 offset digits, 2 spaces, 16 x 3 hex columns, 1 gap, 2 spaces, 2 bars, 16 characters, LF.</summary>
    public const int MaxLength = 8 + 2 + 48 + 1 + 2 + 2 + 16 + 1;

    private static readonly byte[] s_hex = { (byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', (byte)'8', (byte)'9', (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e', (byte)'f' };

    /// <summary>Writes the line for <paramref name="count"/> (1-16) bytes at <paramref name="data"/>[<paramref name="start"/>] into <paramref name="line"/>; returns its length.</summary>
    public static int Format(long offset, byte[] data, int start, int count, byte[] line)
    {
        int p = 0;
        for (int shift = 28; shift >= 0; shift -= 4) line[p++] = s_hex[(int)((offset >> shift) & 0xf)];
        line[p++] = (byte)' ';
        line[p++] = (byte)' ';
        for (int i = 0; i < 16; i++)
        {
            if (i < count)
            {
                byte b = data[start + i];
                line[p++] = s_hex[b >> 4];
                line[p++] = s_hex[b & 0xf];
            }
            else
            {
                line[p++] = (byte)' ';
                line[p++] = (byte)' ';
            }
            line[p++] = (byte)' ';
            if (i == 7) line[p++] = (byte)' ';
        }
        line[p++] = (byte)' ';
        line[p++] = (byte)'|';
        for (int i = 0; i < count; i++)
        {
            byte b = data[start + i];
            line[p++] = b is >= 0x20 and < 0x7f ? b : (byte)'.';
        }
        line[p++] = (byte)'|';
        line[p++] = (byte)'\n';
        return p;
    }
}
