using System;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;

namespace Nsock.Core.Tests;

/// <summary>
/// A read-only stream of <c>length</c> pseudo-random bytes made on the fly (xorshift, several GB/s), hashing
/// what it hands out, so a 100 MiB payload needs no 100 MiB array.
/// </summary>
internal sealed class RandomPayloadStream : Stream
{
    private readonly long _length;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;
    private ulong _state;
    private string? _sha256;

    public RandomPayloadStream(long length, ulong seed)
    {
        _length = length;
        _state = (seed + 1) * 0x9E3779B97F4A7C15UL;
    }

    /// <summary>The SHA-256 of everything read; only valid once the stream was read to its end.</summary>
    public string Sha256
    {
        get
        {
            if (_position != _length) throw new InvalidOperationException($"only {_position} of {_length} bytes were read");
            return _sha256 ??= Convert.ToHexString(_hash.GetHashAndReset());
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = (int)Math.Min(buffer.Length, _length - _position);
        if (n <= 0) return 0;
        Span<byte> chunk = buffer.Slice(0, n);
        int i = 0;
        for (; i + 8 <= n; i += 8) BinaryPrimitives.WriteUInt64LittleEndian(chunk.Slice(i), Next());
        if (i < n)
        {
            Span<byte> tail = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(tail, Next());
            tail.Slice(0, n - i).CopyTo(chunk.Slice(i));
        }
        _hash.AppendData(chunk);
        _position += n;
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
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }

    private ulong Next()
    {
        ulong x = _state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        _state = x;
        return x;
    }
}
