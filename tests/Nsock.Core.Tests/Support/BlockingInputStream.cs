using System;
using System.Collections.Concurrent;
using System.IO;

namespace Nsock.Core.Tests;

/// <summary>
/// An input that stays open until the test says otherwise, like a terminal: reads block until a chunk is
/// added or <see cref="Complete"/> ends the stream. A read blocked longer than <see cref="Limits.Wait"/> fails,
/// so a forgotten input never hangs the run.
/// </summary>
internal sealed class BlockingInputStream : Stream
{
    private readonly BlockingCollection<byte[]> _chunks = new();
    private byte[] _current = Array.Empty<byte>();
    private int _offset;

    public void Add(byte[] chunk) => _chunks.Add(chunk);

    public void Complete() => _chunks.CompleteAdding();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_offset == _current.Length)
        {
            if (!_chunks.TryTake(out byte[]? next, Limits.Wait))
            {
                if (_chunks.IsCompleted) return 0;
                throw new IOException("test input was left open too long");
            }
            _current = next;
            _offset = 0;
        }
        int n = Math.Min(count, _current.Length - _offset);
        Buffer.BlockCopy(_current, _offset, buffer, offset, n);
        _offset += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_chunks.IsAddingCompleted) _chunks.CompleteAdding();
        base.Dispose(disposing);
    }
}
