using System;
using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Echo mode: every byte back, then a half-close once the client half-closes, so a client that sends, shuts down
// its write side and reads to the end gets all of its bytes back. A client holds a buffer only while its bytes are
// in flight: an idle one waits with a zero-byte receive (no buffer), and the buffer goes back to the pool as soon as
// a read did not fill it (the socket is drained), so 10,000 idle clients cost their sockets, not 10,000 buffers.
internal sealed class EchoHandler : IClientHandler
{
    private const int BufferSize = 64 * 1024;

    private readonly EchoOptions _options;

    private int _buffersHeld;

    public EchoHandler(EchoOptions options) => _options = options;

    /// <summary>How many of this handler's clients hold a receive buffer now (what an idle client must not do; tests read it).</summary>
    internal int BuffersHeld => Volatile.Read(ref _buffersHeld);

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        TimeSpan? idleTimeout = _options.IdleTimeout;
        byte[]? buffer = null;
        long start = Stopwatch.GetTimestamp();
        long bytes = 0;
        string? error = null;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (true)
            {
                if (idleTimeout is TimeSpan t) idle.CancelAfter(t);
                if (buffer is null)
                {
                    await SocketIo.WaitReadableAsync(client, idle.Token).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    Interlocked.Increment(ref _buffersHeld);
                }
                int n = await SocketIo.ReceiveAsync(client, buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false);
                if (n == 0) break;
                _options.Recorder?.Record(sent: false, context.Id, bytes, buffer, 0, n);
                await SocketIo.SendAllAsync(client, buffer, 0, n, ct).ConfigureAwait(false);
                _options.Recorder?.Record(sent: true, context.Id, bytes, buffer, 0, n);
                bytes += n;
                if (n < buffer.Length)
                {
                    // Drained: a full read means more is probably waiting, so a bulk stream keeps its buffer.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    Interlocked.Decrement(ref _buffersHeld);
                }
            }
            client.Shutdown(SocketShutdown.Send);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "listener stopped";
        }
        catch (OperationCanceledException)
        {
            error = $"idle for {idleTimeout!.Value.TotalSeconds:0.###}s: nothing sent or received";
        }
        catch (Exception e)
        {
            error = SocketErrors.FromIo(e, "echo").Message;
        }
        finally
        {
            client.Dispose();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                Interlocked.Decrement(ref _buffersHeld);
            }
        }
        return new ClientOutcome(bytes, bytes, Seconds(start), error);
    }

    private static double Seconds(long since) => (Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency;
}
