using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// A client of a room (broker, chat, keep-open relay) as seen by those who send to it: a queue of chunks and a writer
// that drains it while there is something to send (no thread or task per idle member). The queue is bounded: a
// sender that finds it over QueueLimit waits (asynchronously, outside the room's lock) for it to drain, which paces
// a fast sender to its readers; a member that takes nothing for StallLimit while its queue is full is not reading,
// and is dropped (its socket shut down, so its own receive loop ends). So a reader that stopped holds the room up
// for StallLimit at most, once, and never makes the listener's memory grow.
internal sealed class RoomMember
{
    /// <summary>The bytes waiting for one client above which senders wait for it: 1 MiB.</summary>
    public const int QueueLimit = 1024 * 1024;

    /// <summary>How long a member with a full queue may take nothing before it is dropped.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(3);

    private readonly Queue<SharedChunk> _queue = new();
    private readonly int _limit;
    private readonly SessionRecorder? _recorder;
    private long _lastActivity = Stopwatch.GetTimestamp();
    private int _queuedBytes; // queued plus the chunk being sent
    private bool _writing;
    private bool _closed;
    private long _sent;
    private TaskCompletionSource<bool>? _drained;

    public RoomMember(Socket socket, long id, SessionRecorder? recorder = null, int limit = QueueLimit)
    {
        Socket = socket;
        Id = id;
        _recorder = recorder;
        _limit = limit;
    }

    public Socket Socket { get; }

    public long Id { get; }

    /// <summary>Bytes handed to the socket so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>True once --idle-timeout closed the member (<see cref="CloseIdle"/>).</summary>
    public bool IdledOut { get; private set; }

    /// <summary>How long the member has sent and been sent nothing.</summary>
    public TimeSpan Quiet => TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - Interlocked.Read(ref _lastActivity)) / (double)Stopwatch.Frequency);

    /// <summary>Notes that the client sent something (for --idle-timeout).</summary>
    public void Touch() => Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());

    /// <summary>Closes the member for --idle-timeout: its receive loop sees the end and reports it idle.</summary>
    public void CloseIdle()
    {
        lock (_queue)
        {
            IdledOut = true;
            CloseLocked();
        }
    }

    /// <summary>Why the member was dropped (it stopped reading, or a send failed); null while it is fine.</summary>
    public string? DroppedReason { get; private set; }

    /// <summary>True when more than <see cref="QueueLimit"/> bytes wait: the sender should <see cref="WaitForRoomAsync"/>.</summary>
    public bool IsFull
    {
        get
        {
            lock (_queue) return !_closed && _queuedBytes > _limit;
        }
    }

    /// <summary>
    /// Queues <paramref name="chunk"/> (never waits: the caller may hold the room's lock; see <see cref="WaitForRoomAsync"/>).
    /// Returns <see cref="IsFull"/> as the chunk left it, under the same lock.
    /// </summary>
    public bool Enqueue(SharedChunk chunk)
    {
        lock (_queue)
        {
            if (_closed) return false;
            chunk.AddReference();
            _queue.Enqueue(chunk);
            _queuedBytes += chunk.Length;
            bool full = _queuedBytes > _limit;
            if (_writing) return full;
            _writing = true;
            _ = Task.Run(WriteLoopAsync);
            return full;
        }
    }

    /// <summary>Waits until the queue is back under the bound; drops the member when it takes nothing for <see cref="StallLimit"/>.</summary>
    public async Task WaitForRoomAsync()
    {
        while (true)
        {
            Task drained;
            long sentBefore;
            lock (_queue)
            {
                if (_closed || _queuedBytes <= _limit) return;
                _drained ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
                sentBefore = Sent;
            }
            using var stall = new CancellationTokenSource();
            Task first = await Task.WhenAny(drained, Task.Delay(StallLimit, stall.Token)).ConfigureAwait(false);
            stall.Cancel();
            if (first == drained) continue;
            lock (_queue)
            {
                if (!_closed && _queuedBytes > _limit && Sent == sentBefore)
                    DropLocked($"dropped: it took nothing for {StallLimit.TotalSeconds:0}s with more than {_limit / 1024} KiB waiting for it (it is not reading)");
            }
        }
    }

    /// <summary>Stops sending: what is queued is given up, the socket is shut down both ways (its reader sees the end).</summary>
    public void Close()
    {
        lock (_queue) CloseLocked();
    }

    private void DropLocked(string reason)
    {
        DroppedReason ??= reason;
        CloseLocked();
    }

    private void CloseLocked()
    {
        if (_closed) return;
        _closed = true;
        while (_queue.Count > 0) _queue.Dequeue().Release();
        _drained?.TrySetResult(true);
        _drained = null;
        try { Socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { /* already gone */ }
    }

    // Chunks sent in one call at most: several small chunks (a chatty sender's lines) queued while the previous send
    // was under way go out in one gathered send (sendmsg with an iovec each), not one system call per chunk.
    private const int MaxBatchChunks = 64;

    // Bytes sent in one call at most when several chunks are gathered (a single bigger chunk goes alone).
    private const int MaxBatchBytes = 256 * 1024;

    private async Task WriteLoopAsync()
    {
        var batch = new List<SharedChunk>(); // this writer's own: one per burst, not per chunk
        List<ArraySegment<byte>>? segments = null;
        while (true)
        {
            int bytes = 0;
            lock (_queue)
            {
                if (_closed || _queue.Count == 0)
                {
                    _writing = false;
                    return;
                }
                do
                {
                    SharedChunk next = _queue.Dequeue();
                    batch.Add(next);
                    bytes += next.Length;
                }
                while (_queue.Count > 0 && batch.Count < MaxBatchChunks && bytes + _queue.Peek().Length <= MaxBatchBytes);
            }
            try
            {
                if (batch.Count == 1)
                {
                    await SocketIo.SendAllAsync(Socket, batch[0].Buffer, 0, batch[0].Length, CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    segments ??= new List<ArraySegment<byte>>(MaxBatchChunks);
                    await SendGatheredAsync(batch, bytes, segments).ConfigureAwait(false);
                }
                long offset = Sent;
                foreach (SharedChunk chunk in batch)
                {
                    _recorder?.Record(sent: true, Id, offset, chunk.Buffer, 0, chunk.Length);
                    offset += chunk.Length;
                }
                Interlocked.Add(ref _sent, bytes);
                Touch();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                lock (_queue)
                {
                    if (!_closed) DropLocked(SocketErrors.FromIo(e, "sending").Message);
                    _writing = false;
                }
                return;
            }
            finally
            {
                foreach (SharedChunk chunk in batch) chunk.Release();
                batch.Clear();
            }
            lock (_queue)
            {
                _queuedBytes -= bytes;
                if (_queuedBytes <= _limit && _drained is not null)
                {
                    _drained.TrySetResult(true);
                    _drained = null;
                }
            }
        }
    }

    // One gathered send of the batch; what a short send leaves is sent chunk by chunk (stream sockets usually take all).
    private async Task SendGatheredAsync(List<SharedChunk> batch, int bytes, List<ArraySegment<byte>> segments)
    {
        segments.Clear();
        foreach (SharedChunk chunk in batch) segments.Add(new ArraySegment<byte>(chunk.Buffer, 0, chunk.Length));
        int sent;
        try
        {
            sent = await Socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
        }
        finally
        {
            segments.Clear();
        }
        if (sent == bytes) return;
        foreach (SharedChunk chunk in batch)
        {
            if (sent >= chunk.Length)
            {
                sent -= chunk.Length;
                continue;
            }
            await SocketIo.SendAllAsync(Socket, chunk.Buffer, sent, chunk.Length - sent, CancellationToken.None).ConfigureAwait(false);
            sent = 0;
        }
    }
}
