using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>Reads from a connected stream socket into an output until end of stream, a byte count, a delimiter or an idle timeout.</summary>
internal static class Receiver
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>
    /// Reads as <paramref name="options"/> says and writes every byte read (up to the limit or the delimiter's end)
    /// to <paramref name="output"/>. Bytes past a delimiter that arrived in the same read are not written.
    /// The socket is left open for the caller to close.
    /// </summary>
    /// With <paramref name="wire"/> (TLS over the socket) the bytes are read from it; the timeout closes it to end a pending read.
    public static async Task<ReceiveResult> ReceiveAsync(Socket socket, Stream output, ReceiveOptions options, CancellationToken ct, Stream? wire = null)
    {
        if (options.MaxBytes is < 0) throw NsockException.BadInput($"byte limit {options.MaxBytes} is negative");
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var finder = options.Until is { Length: > 0 } until ? new DelimiterFinder(until) : null;
        long start = Stopwatch.GetTimestamp();
        long total = 0;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Not every SslStream read honours a token (netstandard2.0): closing the stream ends the read for sure.
        using CancellationTokenRegistration closeOnCancel = wire is null ? default : idle.Token.Register(static s => ((Stream)s!).Dispose(), wire);
        try
        {
            while (true)
            {
                int want = buffer.Length;
                if (options.MaxBytes is long max)
                {
                    if (total >= max) return Result(ReceiveEnd.ByteLimit);
                    want = (int)Math.Min(want, max - total);
                }
                if (options.IdleTimeout is TimeSpan t) idle.CancelAfter(t);
                int n;
                try
                {
                    n = wire is null
                        ? await SocketIo.ReceiveAsync(socket, buffer, 0, want, idle.Token).ConfigureAwait(false)
                        : await wire.ReadAsync(buffer, 0, want, idle.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (idle.IsCancellationRequested && e is OperationCanceledException or IOException or ObjectDisposedException)
                {
                    ct.ThrowIfCancellationRequested();
                    return Result(ReceiveEnd.IdleTimeout);
                }
                catch (IOException e)
                {
                    throw SocketErrors.FromIo(e, "receiving");
                }
                catch (SocketException e)
                {
                    throw SocketErrors.Classify(e, "receiving");
                }
                if (n == 0) return Result(ReceiveEnd.PeerClosed);

                int keep = finder?.Feed(buffer, n) ?? -1;
                await output.WriteAsync(buffer, 0, keep >= 0 ? keep : n, ct).ConfigureAwait(false);
                total += keep >= 0 ? keep : n;
                if (keep >= 0) return Result(ReceiveEnd.Delimiter);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }

        ReceiveResult Result(ReceiveEnd end) => new(total, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, end);
    }
}
