using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core.Tests;

/// <summary>The test side of a conversation: plain socket calls, each bounded by <see cref="Limits.Wait"/>.</summary>
internal static class SocketTestExtensions
{
    public static async Task SendAllAsync(this Socket socket, ReadOnlyMemory<byte> data)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        while (data.Length > 0)
        {
            int n = await socket.SendAsync(data, SocketFlags.None, cts.Token);
            data = data.Slice(n);
        }
    }

    /// <summary>Sends everything from <paramref name="data"/>, then half-closes.</summary>
    public static async Task SendStreamAndShutdownAsync(this Socket socket, Stream data)
    {
        var buffer = new byte[1024 * 1024];
        int n;
        while ((n = data.Read(buffer, 0, buffer.Length)) > 0) await socket.SendAllAsync(buffer.AsMemory(0, n));
        socket.Shutdown(SocketShutdown.Send);
    }

    public static async Task<byte[]> ReadToEndAsync(this Socket socket)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) all.Write(buffer, 0, n);
        return all.ToArray();
    }

    /// <summary>Reads to end of stream keeping only a count and a SHA-256 (for payloads too big to keep).</summary>
    public static async Task<(long Length, string Sha256)> ReadToEndHashedAsync(this Socket socket)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }
        return (total, Convert.ToHexString(hash.GetHashAndReset()));
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (fails if the stream ends first).</summary>
    public static async Task<byte[]> ReadExactlyAsync(this Socket socket, int count)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var data = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = await socket.ReceiveAsync(data.AsMemory(got), SocketFlags.None, cts.Token);
            if (n == 0) throw new EndOfStreamException($"stream ended after {got} of {count} bytes");
            got += n;
        }
        return data;
    }

    /// <summary>Sends <paramref name="data"/>, half-closes, and reads what comes back to end of stream, both at once.</summary>
    public static async Task<byte[]> RoundTripAsync(this Socket socket, byte[] data)
    {
        Task<byte[]> reading = socket.ReadToEndAsync();
        await socket.SendAllAsync(data);
        socket.Shutdown(SocketShutdown.Send);
        return await reading.WaitAsync(Limits.Wait);
    }

    /// <summary>Closes with an RST instead of a FIN, as a crashing client would.</summary>
    public static void Reset(this Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }
}
