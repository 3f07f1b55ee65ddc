using System;
using System.IO;
using System.IO.Hashing;
using System.Security.Cryptography;

namespace Nsock.Core;

// The per-file digest of the transfer protocol: XXH3-128 (System.IO.Hashing, about 8 GB/s on one core here) or
// SHA-256 (the platform's crypto: OpenSSL on Linux, with the CPU's SHA instructions, about 1.1 GB/s).
internal abstract class FileDigest : IDisposable
{
    public static FileDigest Create(FileHashAlgorithm algorithm) => algorithm switch
    {
        FileHashAlgorithm.SHA256 => new Sha256Digest(),
        _ => new Xxh128Digest(),
    };

    public abstract void Append(byte[] buffer, int offset, int count);

    /// <summary>The digest of everything appended (big-endian, as xxhsum and sha256sum print it); starts over.</summary>
    public abstract byte[] Finish();

    public virtual void Dispose()
    {
    }

    private sealed class Xxh128Digest : FileDigest
    {
        private readonly XxHash128 _hash = new();

        public override void Append(byte[] buffer, int offset, int count) => _hash.Append(buffer.AsSpan(offset, count));

        public override byte[] Finish() => _hash.GetHashAndReset();
    }

    private sealed class Sha256Digest : FileDigest
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override void Append(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override byte[] Finish() => _hash.GetHashAndReset();

        public override void Dispose() => _hash.Dispose();
    }
}

// Whole files and prefixes, 1 MiB at a time.
internal static class FileHashing
{
    public const int ChunkSize = 1024 * 1024;

    /// <summary>Bytes of a digest of <paramref name="algorithm"/> on the wire.</summary>
    public static int Length(FileHashAlgorithm algorithm) => algorithm == FileHashAlgorithm.SHA256 ? 32 : 16;

    /// <summary>Feeds the first <paramref name="length"/> bytes of <paramref name="file"/> to <paramref name="hash"/>.</summary>
    public static void AppendPrefix(FileDigest hash, Stream file, long length, byte[] buffer)
    {
        long left = length;
        while (left > 0)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) throw new IOException($"the file ended {left} bytes early");
            hash.Append(buffer, 0, n);
            left -= n;
        }
    }

    public static string Hex(byte[] hash) => BitConverter.ToString(hash).Replace("-", "").ToLowerInvariant();
}
