using System;
using System.IO;

namespace Nsock.Core;

// An --exec program's stdin as the relay's output: each chunk flushed at once (the pipe's FileStream would hold small
// ones back from an interactive program), closed when the client's stream ends (CloseWrite, so the program reads
// its end), and quiet once the program has stopped reading: what the client still sends is dropped, as it would be
// by a socket peer that closed, and the connection ends when the program's output does.
internal sealed class ProcessInput : Stream, IHalfClosable
{
    private readonly Stream _pipe;
    private bool _gone;

    public ProcessInput(Stream pipe) => _pipe = pipe;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_gone) return;
        try
        {
            _pipe.Write(buffer, offset, count);
            _pipe.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _gone = true;
        }
    }

    public void CloseWrite()
    {
        _gone = true;
        try { _pipe.Dispose(); } catch (IOException) { /* the program is gone already */ }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) CloseWrite();
        base.Dispose(disposing);
    }
}
