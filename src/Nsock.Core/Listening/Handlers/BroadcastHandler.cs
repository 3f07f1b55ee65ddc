using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Relay mode with --keep-open, as ncat -k does it, and the broker (ncat --broker): what every client sends goes to
// the one output (a chunk at a time, never interleaved inside a chunk) and, in the broker, to every other client;
// input goes to every client connected at that moment. The end of input is not passed on: clients stay open, since
// later clients could never be told anything anyway. Each client has a bounded queue (RoomMember): a sender waits
// for its readers, and a client that stops reading is dropped after RoomMember.StallLimit. A client holds a receive
// buffer only while it sends (as in EchoHandler): an idle one waits with a zero-byte receive, and costs no buffer.
internal sealed class BroadcastHandler : IClientHandler, IJoinsOnArrival
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream? _input;
    private readonly Stream? _output;
    private readonly SessionRecorder? _recorder;
    private readonly TimeSpan? _idleTimeout;
    private readonly bool _toOtherClients;
    private readonly object _outputLock = new();
    private readonly Room _room = new();
    private readonly List<RoomMember> _inputFull = new();
    private readonly ConcurrentDictionary<long, RoomMember> _arrived = new();
    private int _buffersHeld;

    /// <param name="input">What goes to every client (the listener's stdin).</param>
    /// <param name="output">Where what clients send is written.</param>
    /// <param name="recorder">--hex-dump/--output: both directions of every client, recorded.</param>
    /// <param name="idleTimeout">--idle-timeout: a client quiet both ways this long is closed.</param>
    /// <param name="toOtherClients">The broker: what a client sends also goes to every other client.</param>
    public BroadcastHandler(Stream? input, Stream? output, SessionRecorder? recorder = null, TimeSpan? idleTimeout = null, bool toOtherClients = false)
    {
        _input = input;
        _output = output;
        _recorder = recorder;
        _idleTimeout = idleTimeout;
        _toOtherClients = toOtherClients;
    }

    /// <summary>How many of this handler's clients hold a receive buffer now (what an idle client must not do; tests read it).</summary>
    internal int BuffersHeld => Volatile.Read(ref _buffersHeld);

    // In the room before the listener reports it connected (see IJoinsOnArrival); input starts with the first
    // member, so no input is read while nobody could hear it.
    public void Join(Socket client, ClientContext context)
    {
        _arrived[context.Id] = _room.Join(client, context.Id, _recorder);
        _room.StartInputOnce(_input, (buffer, n) =>
        {
            // The input thread's own list: it is the only one that uses it.
            _room.Queue(buffer, 0, n, except: null, _inputFull);
            return Room.WaitAsync(_inputFull);
        });
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        if (!_arrived.TryRemove(context.Id, out RoomMember? member))
        {
            Join(client, context); // served without the listener (an engine test): join now
            _arrived.TryRemove(context.Id, out member);
        }
        if (member is null) throw new InvalidOperationException("a client served twice"); // cannot happen: ids are unique
        var full = new List<RoomMember>(); // the members this client's chunks left over their bound, waited for after each
        byte[]? buffer = null; // only while the client sends: an idle one waits without (see EchoHandler)
        long start = Stopwatch.GetTimestamp();
        long received = 0;
        string? error = null;
        using var stopWatching = new CancellationTokenSource();
        Task watching = _idleTimeout is TimeSpan idle ? WatchIdleAsync(member, idle, stopWatching.Token) : Task.CompletedTask;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    await SocketIo.WaitReadableAsync(client, ct).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    Interlocked.Increment(ref _buffersHeld);
                }
                int n = await SocketIo.ReceiveAsync(client, buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                member.Touch();
                _recorder?.Record(sent: false, context.Id, received, buffer, 0, n);
                if (_output is not null)
                {
                    lock (_outputLock) _output.Write(buffer, 0, n);
                }
                if (_toOtherClients)
                {
                    _room.Queue(buffer, 0, n, except: member, full);
                    if (full.Count > 0) await Room.WaitAsync(full).ConfigureAwait(false);
                }
                received += n;
                if (n < buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                    Interlocked.Decrement(ref _buffersHeld);
                }
            }
            // Shut down by the idle watchdog: the pending receive ends as if the client had closed.
            if (member.IdledOut) error = IdleMessage;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "listener stopped";
        }
        catch (Exception) when (member.IdledOut)
        {
            error = IdleMessage;
        }
        catch (Exception e)
        {
            error = SocketErrors.FromIo(e, "relay").Message;
        }
        finally
        {
            stopWatching.Cancel();
            await watching.ConfigureAwait(false);
            _room.Leave(member);
            client.Dispose();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                Interlocked.Decrement(ref _buffersHeld);
            }
        }
        if (member.DroppedReason is string dropped)
        {
            error = dropped;
            context.Sink.Emit(new ClientDropped(context.Id, context.Remote, dropped));
        }
        return new ClientOutcome(received, member.Sent, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error);
    }

    private string IdleMessage => $"idle for {_idleTimeout!.Value.TotalSeconds:0.###}s: nothing sent or received";

    // --idle-timeout: a client that has sent nothing and been sent nothing for this long is closed (its receive then
    // ends, and the loop above reports it idle); the listener and the other clients go on.
    private static async Task WatchIdleAsync(RoomMember member, TimeSpan idle, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                TimeSpan left = idle - member.Quiet;
                if (left <= TimeSpan.Zero)
                {
                    member.CloseIdle();
                    return;
                }
                await Task.Delay(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250), stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client ended first.
        }
    }
}
