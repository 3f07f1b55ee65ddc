using System;
using System.Buffers;
using System.Threading;

namespace Nsock.Core;

// One broadcast chunk, copied once into a pooled buffer and shared by every member it is queued for; the buffer
// goes back to the pool when the last of them has sent it (or dropped it). One copy per chunk, not one per client.
internal sealed class SharedChunk
{
    private int _references = 1;

    private SharedChunk(byte[] buffer, int length)
    {
        Buffer = buffer;
        Length = length;
    }

    public byte[] Buffer { get; }

    public int Length { get; }

    /// <summary>A copy of the bytes, held once by the caller (who releases it when it has queued it everywhere).</summary>
    public static SharedChunk Copy(byte[] data, int offset, int count)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, count));
        System.Buffer.BlockCopy(data, offset, buffer, 0, count);
        return new SharedChunk(buffer, count);
    }

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) ArrayPool<byte>.Shared.Return(Buffer);
    }
}
