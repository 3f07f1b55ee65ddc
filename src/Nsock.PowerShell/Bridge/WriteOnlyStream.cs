using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.PowerShell;

/// <summary>
/// A stream the engine writes into and nobody reads from (a capture in memory, pipeline objects, listener events):
/// writes complete synchronously, so the async forms just call them; the rest of Stream, which such a stream does
/// not have, is said once here.
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    /// <summary>Bytes written so far, where the stream counts them.</summary>
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
