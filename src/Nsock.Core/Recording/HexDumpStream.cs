using System;
using System.IO;

namespace Nsock.Core;

/// <summary>
/// Writes what passes through it as a hex dump in the layout of <c>hexdump -C</c>: offset, 16 bytes, printable text
/// (<c>nsock recv --hex</c>). <see cref="Flush"/> writes the last, short line; the inner stream is not closed.
/// </summary>
public sealed class HexDumpStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _line = new byte[16];
    private readonly byte[] _text = new byte[HexDumpLine.MaxLength];
    private int _filled;
    private long _offset;

    /// <summary>A dump of what is written, onto <paramref name="inner"/>.</summary>
    public HexDumpStream(Stream inner) => _inner = inner;

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _line[_filled++] = buffer[offset + i];
            if (_filled == _line.Length) EmitLine();
        }
    }

    /// <summary>Writes a last, short line for bytes that did not fill one.</summary>
    public override void Flush()
    {
        if (_filled > 0) EmitLine();
        _inner.Flush();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    private void EmitLine()
    {
        int n = HexDumpLine.Format(_offset, _line, 0, _filled, _text);
        _inner.Write(_text, 0, n);
        _offset += _filled;
        _filled = 0;
    }
}
