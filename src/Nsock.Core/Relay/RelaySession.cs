using System;
using System.Buffers;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// One relay. Each direction is a plain blocking loop on its own thread: a blocking read of stdin cannot be
// cancelled or made async without a per-call allocation, and blocking sockets are the cheapest path there
// is. One rented buffer per direction, nothing allocated per chunk. A watchdog on the caller's task decides
// when the relay is over (both ends done, peer gone, idle or wait-after-EOF deadlines, cancellation). A forward on
// Linux (a stream socket on both sides, nothing needing the bytes) runs the same two threads with splice(2) instead
// of the read/write loops (LinuxSplice); everything after a direction's end of stream is shared.
internal sealed class RelaySession
{
    // The largest UDP payload over IPv4; a bigger read from input would fail with EMSGSIZE.
    private const int MaxDatagram = 65507;

    private readonly Socket _socket;
    private readonly Stream? _wire; // TLS over _socket: every byte goes through it
    private Stream? _input;
    private SessionRecorder? _recorder;
    private SessionRecorder? _ownRecorder;
    private readonly Stream? _output;
    private readonly RelayOptions _options;
    private readonly bool _datagram;
    private readonly TaskCompletionSource<bool> _upDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _downDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sent;
    private long _received;
    private long _lastActivity;
    private long _inputEndedAt;
    private long _readingSince; // when the input->socket thread began waiting on the input; 0 while it is not
    private long _peerClosedAt;
    private NsockException? _error;
    private int _finished;
    private volatile bool _sending; // the input->socket thread is inside a send: a reset seen by either thread is the send's
    private bool _splicingOut; // the same, while the input->socket direction is spliced
#if NET
    // A forward's two directions, socket to socket through the kernel (LinuxSplice); null: the copy loops.
    private LinuxSplice? _upPipe;
    private LinuxSplice? _downPipe;
#endif

    public RelaySession(Socket socket, Stream? input, Stream? output, RelayOptions options, Stream? wire = null)
    {
        _socket = socket;
        _wire = wire;
        _input = input;
        _output = output;
        _options = options;
        _datagram = socket.SocketType == SocketType.Dgram;
    }

    public async Task<RelayResult> RunAsync(CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        _lastActivity = start;
        _ownRecorder = _options.Recorder is null ? SessionRecorder.Open(_options.HexDumpPath, _options.OutputPath) : null;
        _recorder = _options.Recorder ?? _ownRecorder;
        if (_input is not null && _options.Crlf) _input = new CrlfInputStream(_input);
        if (_input is not null && _options.LineDelay is TimeSpan delay) _input = new PacedLineStream(_input, delay, ct);
        // A peer that accepts and never reads would block a send forever: the idle timeout bounds a send that makes
        // no progress (SO_SNDTIMEO; the zero-copy path polls with the same bound).
        if (!_datagram && SendStall is TimeSpan stall) _socket.SendTimeout = (int)Math.Min(int.MaxValue - 1, Math.Max(1, stall.TotalMilliseconds));
        OpenSplicePipes();
        if (_options.Direction == RelayDirection.ReceiveOnly || _input is null)
        {
            _inputEndedAt = start;
            _upDone.TrySetResult(true);
        }
        else
        {
            _ = BlockingThread.RunAsync("nsock input->socket", PumpUp);
        }
        _ = BlockingThread.RunAsync("nsock socket->output", PumpDown);

        RelayEnd end;
        try
        {
            end = await WatchAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            Finish();
        }
        double seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        bool spliced = false;
#if NET
        spliced = _upPipe is not null;
#endif
        return new RelayResult(Interlocked.Read(ref _sent), Interlocked.Read(ref _received), seconds, end, _error) { Spliced = spliced };
    }

    private async Task<RelayEnd> WatchAsync(CancellationToken ct)
    {
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration reg = ct.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(true), cancelled);
        Task both = Task.WhenAll(_upDone.Task, _downDone.Task);
        using var delayCts = new CancellationTokenSource();
        try
        {
            return await WatchLoopAsync(ct, both, cancelled.Task, delayCts.Token).ConfigureAwait(false);
        }
        finally
        {
            delayCts.Cancel(); // release the pending deadline timer
        }
    }

    private async Task<RelayEnd> WatchLoopAsync(CancellationToken ct, Task both, Task cancelled, CancellationToken delayToken)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_error is not null) return RelayEnd.Failed;
            if (both.IsCompleted) return RelayEnd.Completed;
            if (_downDone.Task.IsCompleted && _options.StopWhenPeerCloses) return RelayEnd.PeerClosed;

            TimeSpan wait = Timeout.InfiniteTimeSpan;
            if (_downDone.Task.IsCompleted && !_upDone.Task.IsCompleted && _options.PeerClosedGrace is TimeSpan grace)
            {
                // The peer is gone and the input is a pipe that stays open: end once the input has been silent for
                // the grace since the peer closed. A send in progress (the input still flows) is never cut off.
                long since = Interlocked.Read(ref _readingSince);
                TimeSpan left = grace;
                if (since != 0)
                {
                    left = grace - Elapsed(Math.Max(since, Interlocked.Read(ref _peerClosedAt)), Stopwatch.GetTimestamp());
                    if (left <= TimeSpan.Zero) return RelayEnd.PeerClosed;
                }
                wait = Min(left, TimeSpan.FromMilliseconds(100));
            }
            if (_options.InactivityTimeout is TimeSpan quiet && quiet != Timeout.InfiniteTimeSpan)
            {
                // --idle-timeout: no byte either way for this long, input open or not, ends this client.
                TimeSpan left = quiet - Elapsed(Interlocked.Read(ref _lastActivity), Stopwatch.GetTimestamp());
                if (left <= TimeSpan.Zero)
                {
                    _error = new NsockException(NsockErrorKind.TimedOut, $"idle for {quiet.TotalSeconds:0.###}s: nothing sent or received");
                    return RelayEnd.IdleTimeout;
                }
                wait = Min(wait, Min(left, TimeSpan.FromMilliseconds(250)));
            }
            long endedAt = Interlocked.Read(ref _inputEndedAt);
            if (endedAt != 0)
            {
                long now = Stopwatch.GetTimestamp();
                // InfiniteTimeSpan (what a timeout of 0, "never", becomes) is no deadline, not one already past.
                if (_options.WaitAfterInputEnds is TimeSpan cap && cap != Timeout.InfiniteTimeSpan)
                {
                    TimeSpan left = cap - Elapsed(endedAt, now);
                    if (left <= TimeSpan.Zero) return RelayEnd.WaitAfterInputEnded;
                    wait = Min(wait, left);
                }
                if (_options.IdleTimeout is TimeSpan idle && idle != Timeout.InfiniteTimeSpan)
                {
                    long last = Math.Max(Interlocked.Read(ref _lastActivity), endedAt);
                    TimeSpan left = idle - Elapsed(last, now);
                    if (left <= TimeSpan.Zero)
                    {
                        // UDP has no end of stream: replies are read until the peer falls silent, which is the
                        // normal end of a datagram relay, not a failure.
                        if (_datagram) return RelayEnd.Completed;
                        _error = new NsockException(NsockErrorKind.TimedOut,
                            $"the peer sent nothing for {idle.TotalSeconds:0.###}s after there was nothing left to send");
                        return RelayEnd.IdleTimeout;
                    }
                    // Activity resets the deadline, so look again at least every quarter second.
                    wait = Min(wait, Min(left, TimeSpan.FromMilliseconds(250)));
                }
            }

            var tasks = new Task[] { both, _upDone.Task, _downDone.Task, _failed.Task, cancelled, Task.Delay(wait, delayToken) };
            if (_upDone.Task.IsCompleted) tasks[1] = tasks[0];
            if (_downDone.Task.IsCompleted) tasks[2] = tasks[0];
            await Task.WhenAny(tasks).ConfigureAwait(false);
        }
    }

    private void PumpUp()
    {
        // Taken only by the copy loop (a spliced direction never touches the bytes); a forward's only while bytes wait.
        var buffers = new RelayBuffer(_options.BufferSize, _options.ReleaseBufferWhenIdle ? (_input as SocketStream)?.Socket : null);
        string stage = "reading input";
        try
        {
            // Spliced: moved to the input's end inside the kernel; the half-close below is the copy loop's.
            bool spliced = SpliceUp(ref stage);
            if (!spliced && _recorder is null && _wire is null && ZeroCopy.CanSend(_input!, _socket))
            {
                stage = "sending";
                _sending = true;
                Interlocked.Add(ref _sent, ZeroCopy.Send(_socket, _input!, SendStall ?? TimeSpan.Zero));
                _sending = false;
                Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
            }
            while (!spliced)
            {
                stage = "reading input";
                Interlocked.Exchange(ref _readingSince, Stopwatch.GetTimestamp());
                byte[] buffer = buffers.Take();
                int n = _input!.Read(buffer, 0, _datagram ? Math.Min(buffer.Length, MaxDatagram) : buffer.Length);
                Interlocked.Exchange(ref _readingSince, 0);
                if (n == 0) break;
                stage = "sending";
                // Recorded as the chunk is handed over, before the send: the peer's answer can arrive (and be recorded)
                // before a send returns, and the record must show the chunk first.
                _recorder?.Record(sent: true, _options.ClientId, Interlocked.Read(ref _sent), buffer, 0, n);
                _sending = true;
                SendAll(buffer, n);
                _sending = false;
                Interlocked.Add(ref _sent, n);
                Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
                buffers.Release();
            }
            if (_options.ShutdownOnInputEnd && !_datagram && Volatile.Read(ref _finished) == 0)
            {
                stage = "half-closing";
                // TLS says its end first (close_notify), then TCP's FIN: the peer reads either as the end.
                if (_wire is IHalfClosable tls) tls.CloseWrite();
                _socket.Shutdown(SocketShutdown.Send);
            }
            Interlocked.Exchange(ref _inputEndedAt, Stopwatch.GetTimestamp());
            _upDone.TrySetResult(true);
        }
        catch (Exception e)
        {
            Fail(e, stage);
        }
        finally
        {
            buffers.Dispose();
#if NET
            if (OperatingSystem.IsLinux()) _upPipe?.Dispose();
#endif
        }
    }

    private void PumpDown()
    {
        var buffers = new RelayBuffer(Math.Max(_options.BufferSize, 65536), _options.ReleaseBufferWhenIdle && _wire is null && !_datagram ? _socket : null); // as in PumpUp
        bool keep = _output is not null && _options.Direction != RelayDirection.SendOnly;
        string stage = "receiving";
        try
        {
            bool spliced = SpliceDown(ref stage);
            while (!spliced)
            {
                stage = "receiving";
                byte[] buffer = buffers.Take();
                int n = _wire?.Read(buffer, 0, buffer.Length) ?? _socket.Receive(buffer, 0, buffer.Length, SocketFlags.None);
                // A datagram socket has no end of stream: a 0-byte read is an empty datagram.
                if (n == 0 && !_datagram) break;
                _recorder?.Record(sent: false, _options.ClientId, Interlocked.Read(ref _received), buffer, 0, n);
                if (keep)
                {
                    stage = "writing output";
                    _output!.Write(buffer, 0, n);
                    if (_datagram) _output.Flush();
                }
                Interlocked.Add(ref _received, n);
                Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
                buffers.Release();
            }
            if (keep)
            {
                stage = "writing output";
                _output!.Flush();
                // An output that can be told (a forward's target, an --exec program's stdin) learns the end of the
                // stream, as the peer did from PumpUp.
                if (_output is IHalfClosable target && Volatile.Read(ref _finished) == 0)
                {
                    stage = "half-closing the output";
                    target.CloseWrite();
                }
            }
            Interlocked.Exchange(ref _peerClosedAt, Stopwatch.GetTimestamp());
            _downDone.TrySetResult(true);
        }
        catch (Exception e)
        {
            Fail(e, stage);
        }
        finally
        {
            buffers.Dispose();
#if NET
            if (OperatingSystem.IsLinux()) _downPipe?.Dispose();
#endif
        }
    }

    // The splice path: a forward (the input and output are one stream socket, as ForwardHandler gives them), both
    // ends stream sockets, nothing that needs the bytes in user space (no TLS, no recorder, --crlf or --delay, whose wrapping
    // already hides the socket) and no grace that watches the input's reads. Both pipes or neither: the sockets are
    // made non-blocking for splice, which the copy loops' blocking calls would not survive.
    private void OpenSplicePipes()
    {
#if NET
        if (!OperatingSystem.IsLinux() || SpliceDisabled || !(_options.Splice || SpliceForced)) return;
        if (_recorder is not null || _wire is not null || _datagram || _options.Direction != RelayDirection.Both || _options.PeerClosedGrace is not null) return;
        if (_input is not SocketStream target || !ReferenceEquals(_input, _output) || target.Socket.SocketType != SocketType.Stream) return;
        OpenSplicePipes(target.Socket);
#endif
    }

#if NET
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private void OpenSplicePipes(Socket target)
    {
        LinuxSplice? up = LinuxSplice.TryOpen();
        LinuxSplice? down = up is null ? null : LinuxSplice.TryOpen();
        if (down is null)
        {
            up?.Dispose();
            return;
        }
        try
        {
            LinuxSplice.MakeNonBlocking(_socket);
            LinuxSplice.MakeNonBlocking(target);
        }
        catch
        {
            up!.Dispose();
            down.Dispose();
            throw;
        }
        _upPipe = up;
        _downPipe = down;
    }
#endif

    // Target to client (the input's direction); true when it was spliced to the target's end of stream.
    private bool SpliceUp(ref string stage)
    {
#if NET
        if (_upPipe is null || !OperatingSystem.IsLinux()) return false;
        try
        {
            _upPipe.Move(((SocketStream)_input!).Socket, _socket, ref _sent, ref _lastActivity, ref _splicingOut, SendStall ?? TimeSpan.Zero, ref _finished);
        }
        catch
        {
            stage = Volatile.Read(ref _splicingOut) ? "sending" : "reading input";
            throw;
        }
        Volatile.Write(ref _splicingOut, false);
        return true;
#else
        return false;
#endif
    }

    // Client to target (the output's direction); true when it was spliced to the client's end of stream.
    private bool SpliceDown(ref string stage)
    {
#if NET
        if (_downPipe is null || !OperatingSystem.IsLinux()) return false;
        bool writing = false;
        try
        {
            _downPipe.Move(_socket, ((SocketStream)_output!).Socket, ref _received, ref _lastActivity, ref writing, SendStall ?? TimeSpan.Zero, ref _finished);
        }
        catch
        {
            stage = Volatile.Read(ref writing) ? "writing output" : "receiving";
            throw;
        }
        return true;
#else
        return false;
#endif
    }

    // NSOCK_SPLICE=0 keeps a forward on the copy loops (a way out should a kernel misbehave); =1 splices even with an
    // end on this host (PeerLocation). Both for measuring one path against the other (scripts/bench).
    private static readonly bool SpliceDisabled = Environment.GetEnvironmentVariable("NSOCK_SPLICE") == "0";
    private static readonly bool SpliceForced = Environment.GetEnvironmentVariable("NSOCK_SPLICE") == "1";

    private void SendAll(byte[] buffer, int count)
    {
        int offset = 0;
        if (_wire is not null)
        {
            _wire.Write(buffer, 0, count);
            Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
            return;
        }
        while (offset < count)
        {
            offset += _socket.Send(buffer, offset, count - offset, SocketFlags.None);
            Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
        }
    }

    // How long a send may make no progress: the idle timeout, when there is one (stream sockets only).
    private TimeSpan? SendStall =>
        !_datagram && _options.IdleTimeout is TimeSpan idle && idle != Timeout.InfiniteTimeSpan && idle > TimeSpan.Zero ? idle : null;

    private void Fail(Exception e, string stage)
    {
        // Once the relay is over, the socket is closed under a blocked thread: that failure is expected.
        if (Volatile.Read(ref _finished) != 0) return;
        // The peer leaving while a send is blocked is seen first, often, by the receiving thread: it was the send that failed.
        if (stage == "receiving" && (_sending || Volatile.Read(ref _splicingOut))) stage = "sending";
        NsockException error = stage == "sending" && !_datagram && e is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } && SendStall is TimeSpan stall
            ? new NsockException(NsockErrorKind.TimedOut, $"sending: the peer took nothing for {stall.TotalSeconds:0.###}s (it is not reading)", e)
            : _datagram && e is SocketException se ? SocketErrors.ClassifyUdp(se, stage) : SocketErrors.FromIo(e, stage);
        Interlocked.CompareExchange(ref _error, error, null);
        _failed.TrySetResult(true);
    }

    private void Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
#if NET
        // The copy loops end a relay whose target is still sending by closing under a thread blocked on the target:
        // .NET then disconnects it, and the target sees a reset. A spliced direction holds no call open on it, so
        // the same ending is asked for here: the caller's close of the target resets it too.
        if (_upPipe is not null && !_upDone.Task.IsCompleted && _input is SocketStream target)
        {
            try
            {
                target.Socket.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
#endif
        _wire?.Dispose();
        _socket.Dispose();
        _ownRecorder?.Dispose(); // a pump still running records nothing more: the recorder ignores chunks once closed
    }

    private static TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((to - from) / (double)Stopwatch.Frequency);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) =>
        a == Timeout.InfiniteTimeSpan ? b : b == Timeout.InfiniteTimeSpan ? a : (a < b ? a : b);
}
