using System;
using System.Buffers;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// A TLS client of a listener, handed to its mode as a plain socket: every mode (relay, echo, files, broker, chat,
// exec, forward) serves sockets, so TLS is taken off once here instead of in each of them. The decrypted bytes
// cross a socket pair; two async pumps between the pair's other end and the TLS stream pass half-closes both ways
// (the client's close_notify or FIN becomes the mode's end of stream; the mode's shutdown becomes close_notify,
// then FIN) and the bridge ends, closing the client, when both directions are done or either fails.
// Async, not the relay's two blocking threads: a listener holds thousands of idle clients, and an idle one here costs
// no thread and no buffer. Each direction waits with an empty read (SslStream rents its own buffer only once a record
// has come) and rents a chunk only while bytes are moving. The close_notify and the decrypts take turns through the
// TLS stream's lock (TlsStateLock), let go while either waits on the socket.
internal sealed class TlsBridge
{
    /// <summary>How long, once the mode is done with a client, the last bytes may take to reach it and the client to close.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(10);

    // One chunk each way while bytes move: a TLS record is at most 16 KiB, and SslStream returns several at once when
    // they are there.
    private const int ChunkSize = 64 * 1024;

    // The most one TLS record carries: a read that took at least that much came from a client sending in bulk, which
    // keeps its chunk (SslStream gives a record or a few per read, so a 64 KiB chunk is seldom filled).
    private const int FullRecord = 16 * 1024;

    // Full records in a row (256 KiB) before a client counts as sending in bulk (ReadBulk): short bursts stay async.
    private const int BulkRun = 16;

    private readonly Socket _network;
    private readonly TlsStream _tls;
    private readonly Socket _bridged;
    private readonly CancellationTokenSource _stop;
    private readonly TimeSpan _closeGrace;
    private Task _run = Task.CompletedTask;
    private int _ended;

    private TlsBridge(Socket network, TlsStream tls, Socket served, Socket bridged, CancellationTokenSource stop, TimeSpan closeGrace)
    {
        _network = network;
        _tls = tls;
        Served = served;
        _bridged = bridged;
        _stop = stop;
        _closeGrace = closeGrace;
    }

    /// <summary>The socket the mode serves.</summary>
    public Socket Served { get; }

    /// <summary>Starts the bridge; it runs until both ends are done, <paramref name="ct"/> is cancelled or <see cref="ReleaseAsync"/> ends it.</summary>
    public static TlsBridge Start(Socket network, TlsStream tls, CancellationToken ct) => Start(network, tls, ct, CloseGrace);

    /// <summary>As <see cref="Start(Socket, TlsStream, CancellationToken)"/>, with another close grace (tests).</summary>
    internal static TlsBridge Start(Socket network, TlsStream tls, CancellationToken ct, TimeSpan closeGrace)
    {
        (Socket served, Socket bridged) = SocketPair.Create();
        var bridge = new TlsBridge(network, tls, served, bridged, CancellationTokenSource.CreateLinkedTokenSource(ct), closeGrace);
        bridge._run = bridge.RunAsync();
        return bridge;
    }

    /// <summary>
    /// The mode is done with the client (its end is closed): the bridge ends by itself once the last bytes are out and
    /// the client has closed; a client that stays (silent after the close_notify) is closed after <see cref="CloseGrace"/>,
    /// as the mode would have closed it without TLS.
    /// </summary>
    public async Task ReleaseAsync()
    {
        using (var grace = new CancellationTokenSource(_closeGrace))
        {
            var ran = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (grace.Token.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(false), ran))
            {
                if (await Task.WhenAny(_run, ran.Task).ConfigureAwait(false) != _run) _stop.Cancel();
            }
        }
        await _run.ConfigureAwait(false); // never throws: the pumps catch everything
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        // Cancelled (the listener stopped, or the grace ran out): closing the sockets ends both pumps' waits.
        using CancellationTokenRegistration stop = _stop.Token.Register(static s => ((TlsBridge)s!).End(), this);
#if NET
        await Task.WhenAll(ClientToModeAsync(), ModeToClientAsync()).ConfigureAwait(false);
#else
        await Task.CompletedTask.ConfigureAwait(false); // never runs: SocketPair needs .NET 8
#endif
        End();
    }

#if NET

    // Each direction holds a chunk only while bytes move: it waits for them without one, and gives it back once a
    // read did not fill it (drained); a full read means more is probably there, so a bulk stream keeps it.
    private async Task ClientToModeAsync()
    {
        byte[]? chunk = null;
        try
        {
            await DropHandshakeBufferAsync().ConfigureAwait(false);
            int fullInARow = 0;
            while (true)
            {
                if (chunk is null)
                {
                    // Returns when bytes are decrypted or the client has ended; the read after it says which.
                    await _tls.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                    chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                }
                int n = await _tls.ReadAsync(chunk.AsMemory()).ConfigureAwait(false);
                if (n == 0) break;
                await SocketIo.SendAllAsync(_bridged, chunk, 0, n, CancellationToken.None).ConfigureAwait(false);
                if (n < FullRecord)
                {
                    Return(ref chunk);
                    fullInARow = 0;
                }
                else if (++fullInARow == BulkRun)
                {
                    fullInARow = 0;
                    byte[] bulk = chunk;
                    bool ended = false;
                    await BlockingThread.RunAsync("nsock tls bulk", () => ended = ReadBulk(bulk)).ConfigureAwait(false);
                    if (ended) break;
                    Return(ref chunk); // the burst is over: wait without it again
                }
            }
            // The client said close_notify or FIN: the mode reads its end of stream, and may still answer.
            _bridged.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            // Failed (a bad record, a reset, the mode's end gone) or ended: the mode sees its end close and reports
            // the client's end itself.
            End();
        }
        finally
        {
            Return(ref chunk);
        }
    }

    // A client sending in bulk waits for nearly every record (the bridge decrypts faster than a record arrives), and
    // an async wait costs an epoll round and a thread pool hand-off each time: 30% slower than the blocking relay into
    // a file. So once BulkRun full records came in a row, a thread of its own reads with blocking calls for as long as
    // they keep coming full, and hands back to the async loop (no thread) at the first read that is not: the end of
    // the burst. True: the client has ended.
    private bool ReadBulk(byte[] chunk)
    {
        while (true)
        {
            int n = _tls.Read(chunk, 0, chunk.Length);
            if (n == 0) return true;
            for (int sent = 0; sent < n;) sent += _bridged.Send(chunk, sent, n - sent, SocketFlags.None);
            if (n < FullRecord) return false;
        }
    }

    private async Task ModeToClientAsync()
    {
        byte[]? chunk = null;
        try
        {
            while (true)
            {
                if (chunk is null)
                {
                    await SocketIo.WaitReadableAsync(_bridged, CancellationToken.None).ConfigureAwait(false);
                    chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                }
                int n = await _bridged.ReceiveAsync(chunk.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0) break;
                await _tls.WriteAsync(chunk.AsMemory(0, n)).ConfigureAwait(false);
                if (n < chunk.Length) Return(ref chunk);
            }
            // The mode is done sending: close_notify, then FIN; the client reads either as the end.
            await _tls.CloseWriteAsync().ConfigureAwait(false);
            _network.Shutdown(SocketShutdown.Send);
        }
        catch (Exception)
        {
            End();
        }
        finally
        {
            Return(ref chunk);
        }
    }

    // SslStream keeps the buffer of its handshake (8 KiB) until a read ends, so a client that handshakes and then says
    // nothing would hold it for as long as it stays. A read told to stop before it starts gives it back: it stops at
    // its first wait, having taken nothing from the socket (if a record is already there, it is decrypted instead, and
    // the first wait below returns at once).
    private async Task DropHandshakeBufferAsync()
    {
        try
        {
            await _tls.ReadAsync(Memory<byte>.Empty, s_stopped).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static readonly CancellationToken s_stopped = new(canceled: true);

    private static void Return(ref byte[]? chunk)
    {
        if (chunk is null) return;
        ArrayPool<byte>.Shared.Return(chunk);
        chunk = null;
    }

#endif

    // Both directions done, one failed, or stopped: the client's connection and the mode's end close (the mode sees
    // its end close; a pump still waiting fails and stops).
    private void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0) return;
        _network.Dispose();
        _tls.Dispose();
        _bridged.Dispose();
    }
}
