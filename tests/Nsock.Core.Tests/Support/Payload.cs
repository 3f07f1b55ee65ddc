using System;
using System.Security.Cryptography;

namespace Nsock.Core.Tests;

/// <summary>Random test data and its SHA-256, for "no byte lost" checks.</summary>
internal static class Payload
{
    public static byte[] Bytes(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data));
}
