using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Relay mode with --keep-open, as ncat -k does it: what every client sends goes to the one output (a chunk at
// a time, never interleaved inside a chunk), and input goes to every client connected at that moment. The end
// of input is not passed on: clients stay open, since later clients could never be told anything anyway.
internal sealed class BroadcastHandler : IClientHandler
{
    private const int BufferSize = 64 * 1024;

    private readonly Stream? _input;
    private readonly Stream? _output;
    private readonly SessionRecorder? _recorder;
    private readonly TimeSpan? _idleTimeout;
    private readonly object _outputLock = new();
    private readonly List<Member> _members = new();
    private int _inputStarted;

    public BroadcastHandler(Stream? input, Stream? output, SessionRecorder? recorder = null, TimeSpan? idleTimeout = null)
    {
        _input = input;
        _output = output;
        _recorder = recorder;
        _idleTimeout = idleTimeout;
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        StartInputOnce();
        var member = new Member(client, context.Id, _recorder);
        lock (_members) _members.Add(member);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long start = Stopwatch.GetTimestamp();
        long received = 0;
        string? error = null;
        using var stopWatching = new CancellationTokenSource();
        Task watching = _idleTimeout is TimeSpan idle ? WatchIdleAsync(member, idle, stopWatching.Token) : Task.CompletedTask;
        try
        {
            while (true)
            {
                int n = await SocketIo.ReceiveAsync(client, buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                if (n == 0) break;
                Volatile.Write(ref member.LastActivity, Stopwatch.GetTimestamp());
                _recorder?.Record(sent: false, context.Id, received, buffer, 0, n);
                if (_output is not null)
                {
                    lock (_outputLock) _output.Write(buffer, 0, n);
                }
                received += n;
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
            lock (_members) _members.Remove(member);
            lock (member) client.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new ClientOutcome(received, Interlocked.Read(ref member.Sent), (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error);
    }

    private string IdleMessage => $"idle for {_idleTimeout!.Value.TotalSeconds:0.###}s: nothing sent or received";

    // --idle-timeout: a client that has sent nothing and been sent nothing for this long is closed (its receive then
    // fails, and the loop above reports it idle); the listener and the other clients go on.
    private static async Task WatchIdleAsync(Member member, TimeSpan idle, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                TimeSpan quiet = TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - Volatile.Read(ref member.LastActivity)) / (double)Stopwatch.Frequency);
                TimeSpan left = idle - quiet;
                if (left <= TimeSpan.Zero)
                {
                    member.Close(idledOut: true);
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

    private void StartInputOnce()
    {
        if (_input is null || Interlocked.Exchange(ref _inputStarted, 1) != 0) return;
        _ = BlockingThread.RunAsync("nsock input->clients", PumpInput);
    }

    private void PumpInput()
    {
        byte[] buffer = new byte[BufferSize];
        var snapshot = new List<Member>();
        try
        {
            int n;
            while ((n = _input!.Read(buffer, 0, buffer.Length)) > 0)
            {
                snapshot.Clear();
                lock (_members) snapshot.AddRange(_members);
                foreach (Member m in snapshot) m.TrySend(buffer, n);
            }
        }
        catch (IOException)
        {
            // Input failed: clients keep being served, they just get nothing more from it.
        }
    }

    private sealed class Member
    {
        public long Sent;
        public long LastActivity = Stopwatch.GetTimestamp();
        public volatile bool IdledOut;
        private readonly Socket _socket;
        private readonly long _id;
        private readonly SessionRecorder? _recorder;

        public Member(Socket socket, long id, SessionRecorder? recorder)
        {
            _socket = socket;
            _id = id;
            _recorder = recorder;
        }

        // Not under the lock: a broadcast send blocked on a client that stopped reading holds it, and shutting the
        // socket down is what ends that send (TrySend takes the failure as a dropped client); the pending receive ends too.
        public void Close(bool idledOut)
        {
            IdledOut = idledOut;
            try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception) { /* already gone */ }
            _socket.Dispose();
        }

        // A client that cannot take input is dropped from broadcasting; its receive loop notices the close.
        public void TrySend(byte[] buffer, int count)
        {
            lock (this)
            {
                try
                {
                    int offset = 0;
                    while (offset < count) offset += _socket.Send(buffer, offset, count - offset, SocketFlags.None);
                    _recorder?.Record(sent: true, _id, Interlocked.Read(ref Sent), buffer, 0, count);
                    Interlocked.Add(ref Sent, count);
                    Volatile.Write(ref LastActivity, Stopwatch.GetTimestamp());
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception) { /* already gone */ }
                }
            }
        }
    }
}
