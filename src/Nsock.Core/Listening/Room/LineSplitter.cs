using System;
using System.Buffers;

namespace Nsock.Core;

// Cuts a byte stream into lines (LF, an optional CR before it dropped) in one pooled buffer of a bounded size: a
// line longer than the bound is cut there and the rest of it, up to its newline, left out, so a client sending
// ten megabytes without a newline costs the bound, not ten megabytes.
internal sealed class LineSplitter : IDisposable
{
    private readonly byte[] _line;
    private readonly int _max;
    private readonly Action<byte[], int, bool> _onLine;
    private int _length;
    private bool _cut;

    /// <param name="maxLineBytes">The longest line kept whole.</param>
    /// <param name="onLine">Called with the buffer, the line's length (without the line end) and whether it was cut.</param>
    public LineSplitter(int maxLineBytes, Action<byte[], int, bool> onLine)
    {
        _max = maxLineBytes;
        _line = ArrayPool<byte>.Shared.Rent(maxLineBytes);
        _onLine = onLine;
    }

    public void Feed(byte[] data, int offset, int count)
    {
        int end = offset + count;
        while (offset < end)
        {
            int nl = Array.IndexOf(data, (byte)'\n', offset, end - offset);
            int take = (nl < 0 ? end : nl) - offset;
            int room = _max - _length;
            if (take > room)
            {
                _cut = true;
                take = room;
            }
            Buffer.BlockCopy(data, offset, _line, _length, take);
            _length += take;
            if (nl < 0) return;
            int length = _length > 0 && _line[_length - 1] == '\r' ? _length - 1 : _length;
            bool cut = _cut;
            _length = 0;
            _cut = false;
            _onLine(_line, length, cut);
            offset = nl + 1;
        }
    }

    /// <summary>The last line when the stream ended without a newline (nothing when it ended with one).</summary>
    public void End()
    {
        if (_length == 0 && !_cut) return;
        int length = _length;
        bool cut = _cut;
        _length = 0;
        _cut = false;
        _onLine(_line, length, cut);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_line);
}
