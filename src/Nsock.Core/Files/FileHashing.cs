using System;
using System.IO;
using System.Security.Cryptography;

namespace Nsock.Core;

// SHA-256 through the platform's crypto (OpenSSL on Linux, with the CPU's SHA instructions), 1 MiB at a time.
internal static class FileHashing
{
    public const int ChunkSize = 1024 * 1024;

    public static byte[] HashFile(string path, long length, byte[] buffer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        AppendPrefix(hash, file, length, buffer);
        return hash.GetHashAndReset();
    }

    /// <summary>Feeds the first <paramref name="length"/> bytes of <paramref name="file"/> to <paramref name="hash"/>.</summary>
    public static void AppendPrefix(IncrementalHash hash, Stream file, long length, byte[] buffer)
    {
        long left = length;
        while (left > 0)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) throw new IOException($"the file ended {left} bytes early");
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
    }

    public static string Hex(byte[] hash) => BitConverter.ToString(hash).Replace("-", "").ToLowerInvariant();
}
