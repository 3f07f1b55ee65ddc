using System;
using System.IO;
using System.Text;

namespace Nsock.Cli;

/// <summary>Writes what passes through it as a hex dump in the layout of <c>hexdump -C</c>: offset, 16 bytes, printable text.</summary>
internal sealed class HexDumpStream : Stream
{
    private readonly Stream _inner;
    private readonly byte[] _line = new byte[16];
    private readonly StringBuilder _text = new(80);
    private int _filled;
    private long _offset;

    public HexDumpStream(Stream inner) => _inner = inner;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

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

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void EmitLine()
    {
        _text.Clear();
        _text.Append(_offset.ToString("x8")).Append("  ");
        for (int i = 0; i < 16; i++)
        {
            _text.Append(i < _filled ? _line[i].ToString("x2") + " " : "   ");
            if (i == 7) _text.Append(' ');
        }
        _text.Append(" |");
        for (int i = 0; i < _filled; i++) _text.Append(_line[i] is >= 0x20 and < 0x7f ? (char)_line[i] : '.');
        _text.Append("|\n");
        byte[] bytes = Encoding.ASCII.GetBytes(_text.ToString());
        _inner.Write(bytes, 0, bytes.Length);
        _offset += _filled;
        _filled = 0;
    }
}
