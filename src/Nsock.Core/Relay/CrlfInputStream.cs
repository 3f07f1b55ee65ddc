using System;
using System.IO;

namespace Nsock.Core;

// --crlf (nc -C): reads the input with each bare LF turned into CR LF, as SMTP, HTTP and most line protocols want
// from a person typing. A CR LF already there stays CR LF (a CR that ended the previous read is remembered), a lone
// CR stays a CR. One buffer for the stream's life, nothing allocated per read.
internal sealed class CrlfInputStream : Stream
{
    private readonly Stream _inner;
    private byte[] _raw = Array.Empty<byte>();
    private bool _lastWasCr;
    private bool _pendingLf; // an LF that did not fit in the caller's buffer after its CR

    public CrlfInputStream(Stream inner) => _inner = inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0) return 0;
        int written = 0;
        if (_pendingLf)
        {
            buffer[offset] = (byte)'\n';
            _pendingLf = false;
            return 1;
        }
        // At most half of what fits is read, so that every LF can grow into CR LF (a one-byte read may leave the LF pending).
        int want = Math.Max(1, count / 2);
        if (_raw.Length < want) _raw = new byte[want]; // once: the relay reads with one buffer size
        int n = _inner.Read(_raw, 0, want);
        for (int i = 0; i < n; i++)
        {
            byte b = _raw[i];
            if (b == (byte)'\n' && !_lastWasCr)
            {
                buffer[offset + written++] = (byte)'\r';
                if (written == count)
                {
                    _pendingLf = true;
                    _lastWasCr = false;
                    continue;
                }
            }
            buffer[offset + written++] = b;
            _lastWasCr = b == (byte)'\r';
        }
        return written;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
