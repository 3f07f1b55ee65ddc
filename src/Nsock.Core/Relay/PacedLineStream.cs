using System;
using System.IO;
using System.Threading;

namespace Nsock.Core;

// --delay (nc -i): the input a line at a time, with a pause before every line after the first, for peers that
// cannot take a burst (old line-mode services, serial bridges, rate-limited chat). Each read returns at most one
// line (up to and including its LF; a last line without one ends at the input's end), so each line is one send,
// and over UDP one datagram. One buffer for the stream's life. The pause ends early on cancellation (the read
// then returns 0: the relay is ending anyway).
internal sealed class PacedLineStream : Stream
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream _inner;
    private readonly TimeSpan _delay;
    private readonly CancellationToken _ct;
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;
    private bool _atLineStart = true;
    private bool _sentALine;

    public PacedLineStream(Stream inner, TimeSpan delay, CancellationToken ct)
    {
        _inner = inner;
        _delay = delay;
        _ct = ct;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0) return 0;
        if (_start == _end)
        {
            _start = 0;
            _end = _inner.Read(_buffer, 0, _buffer.Length);
            if (_end == 0) return 0;
        }
        if (_atLineStart && _sentALine)
        {
            if (_ct.WaitHandle.WaitOne(_delay)) return 0;
        }
        int available = Math.Min(_end - _start, count);
        int lf = Array.IndexOf(_buffer, (byte)'\n', _start, available);
        int n = lf >= 0 ? lf - _start + 1 : available;
        Buffer.BlockCopy(_buffer, _start, buffer, offset, n);
        _start += n;
        _atLineStart = lf >= 0;
        _sentALine = true;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
