using System;
using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// One echo client: every byte back, then a half-close once the client half-closes, so a client that
// sends, shuts down its write side and reads to the end gets all of its bytes back.
internal static class EchoClient
{
    private const int BufferSize = 64 * 1024;

    public static async Task ServeAsync(long id, Socket client, TimeSpan? idleTimeout, IEventSink sink, CancellationToken ct)
    {
        string remote = PeerName.Of(client.RemoteEndPoint);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long start = Stopwatch.GetTimestamp();
        long bytes = 0;
        string? error = null;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            while (true)
            {
                if (idleTimeout is TimeSpan t) idle.CancelAfter(t);
                int n = await SocketIo.ReceiveAsync(client, buffer, 0, buffer.Length, idle.Token).ConfigureAwait(false);
                if (n == 0) break;
                await SocketIo.SendAllAsync(client, buffer, 0, n, ct).ConfigureAwait(false);
                bytes += n;
            }
            client.Shutdown(SocketShutdown.Send);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "listener stopped";
        }
        catch (OperationCanceledException)
        {
            error = $"idle for {idleTimeout!.Value.TotalSeconds:0.###}s";
        }
        catch (Exception e)
        {
            error = SocketErrors.FromIo(e, "echo").Message;
        }
        finally
        {
            client.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
        sink.Emit(new ClientClosed(id, remote, bytes, bytes, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error));
    }
}
