using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// UDP ping. Each probe carries "NSPG", a random session id and its sequence number (big-endian), then filler;
// a reply is matched by those, so late, duplicated, reordered and foreign datagrams are counted, never taken for
// answers. Sending and receiving are blocking loops on two threads of their own: the receive timestamp is taken
// the moment recv returns, and events go out through a pump, so neither scheduling nor console output ends up
// in a round-trip time.
internal sealed class UdpPingSession
{
    private readonly PingOptions _o;
    private readonly Socket _socket;
    private readonly EventPump _pump;
    private readonly uint _session;
    private readonly int _total;
    private readonly long[] _sentAt;
    private readonly int[] _state; // 0 waiting, 1 answered, 2 lost
    private readonly List<double> _rtts = new();
    private readonly byte[] _receiveBuffer = new byte[65536];
    private readonly ManualResetEventSlim _answered = new(false);
    private readonly long _timeoutTicks;
    private readonly string _from;
    private int _sentCount;
    private int _oldestWaiting;
    private long _highest = -1;
    private long _refused, _unreachable, _duplicates, _reordered, _late, _foreign;
    private volatile bool _stop;

    private UdpPingSession(PingOptions o, Socket socket, IEventSink sink)
    {
        _o = o;
        _socket = socket;
        _pump = new EventPump(sink);
        _session = (uint)new Random().Next() ^ (uint)Environment.TickCount;
        _total = o.Warmup + o.Count;
        _sentAt = new long[_total];
        _state = new int[_total];
        _timeoutTicks = (long)(o.Timeout.TotalSeconds * Stopwatch.Frequency);
        _from = PeerName.Of(socket.RemoteEndPoint);
    }

    public static async Task<PingSummary> RunAsync(PingOptions o, IEventSink sink, CancellationToken ct)
    {
        Socket socket = await Connector.ConnectAsync(o.Endpoint, o.Connect, ct).ConfigureAwait(false);
        UdpIcmpErrors.ReportUnreachable(socket);
        var session = new UdpPingSession(o, socket, sink);
        try
        {
            return await session.RunAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            socket.Dispose();
            session._pump.Dispose();
            session._answered.Dispose();
        }
    }

    private async Task<PingSummary> RunAsync(CancellationToken ct)
    {
        // Flood-style (interval 0) probes go in lockstep, so one thread sends and receives, as the minimal
        // send/recv loop does; with an interval, replies may overlap probes and get a thread of their own.
        bool lockstep = _o.Interval == TimeSpan.Zero;
        var receiver = new Thread(Receive) { IsBackground = true, Name = "nsock ping receive" };
        if (!lockstep) receiver.Start();
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new Thread(() =>
        {
            try { Send(ct); done.TrySetResult(true); }
            catch (Exception e) { done.TrySetException(e); }
        }) { IsBackground = true, Name = "nsock ping send" };
        sender.Start();
        try
        {
            await done.Task.ConfigureAwait(false);
        }
        finally
        {
            _stop = true;
            if (!lockstep) receiver.Join();
        }
        long sent = Math.Max(0, Volatile.Read(ref _sentCount) - _o.Warmup);
        lock (_rtts) return PingStatistics.Summarize(_o, _from, Transport.Udp, sent, _rtts, _refused, _unreachable, _duplicates, _reordered, _late, _foreign);
    }

    private void Send(CancellationToken ct)
    {
        byte[] probe = PingPacket.Build(_session, _o.Size, _o.Payload);
        long start = Stopwatch.GetTimestamp();
        long intervalTicks = (long)(_o.Interval.TotalSeconds * Stopwatch.Frequency);
        for (int seq = 0; seq < _total && !ct.IsCancellationRequested; seq++)
        {
            if (intervalTicks > 0) SleepUntil(start + intervalTicks * seq, ct, SweepLost);
            if (ct.IsCancellationRequested) break;
            PingPacket.WriteSequence(probe, (uint)seq);
            _answered.Reset();
            _sentAt[seq] = Stopwatch.GetTimestamp();
            Volatile.Write(ref _sentCount, seq + 1);
            if (!TrySend(probe, seq))
            {
                // An ICMP error for an earlier probe surfaced on this send, which therefore did not go out (it is
                // charged): send once more; if that fails too, it is charged again, to this probe or a later one.
                TrySend(probe, seq);
            }
            if (intervalTicks == 0) ReceiveUntilAnswered(seq, ct);
            SweepLost();
        }
        // Let the last probes have their full timeout.
        while (!ct.IsCancellationRequested && Volatile.Read(ref _oldestWaiting) < Volatile.Read(ref _sentCount))
        {
            SweepLost();
            _answered.Wait(TimeSpan.FromMilliseconds(10));
        }
        // Linger a moment for stragglers (a duplicate of the last reply, say), so they are counted too.
        long lingerUntil = Stopwatch.GetTimestamp() + Math.Min(_timeoutTicks, Stopwatch.Frequency / 50);
        while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < lingerUntil)
        {
            if (intervalTicks > 0)
            {
                Thread.Sleep(1);
                continue;
            }
            _socket.ReceiveTimeout = (int)Math.Max(1, (lingerUntil - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (!ReceiveOne(_receiveBuffer)) break;
        }
    }

    // Lockstep: receive on this thread until this probe is answered, refused or out of time.
    private void ReceiveUntilAnswered(int seq, CancellationToken ct)
    {
        long deadline = _sentAt[seq] + _timeoutTicks;
        while (!ct.IsCancellationRequested && Volatile.Read(ref _state[seq]) == 0)
        {
            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            // Wake at least every quarter second to notice cancellation.
            _socket.ReceiveTimeout = (int)Math.Max(1, Math.Min(250, left * 1000 / Stopwatch.Frequency));
            if (!ReceiveOne(_receiveBuffer)) return;
        }
    }

    private void Receive()
    {
        _socket.ReceiveTimeout = 100; // wake now and then to see whether the run is over
        while (!_stop && ReceiveOne(_receiveBuffer))
        {
        }
    }

    // One receive: a datagram is timestamped the moment recv returns. False when the socket is gone.
    private bool ReceiveOne(byte[] buffer)
    {
        int n;
        try
        {
            n = _socket.Receive(buffer);
        }
        catch (SocketException e) when (IsIcmpAnswer(e.SocketErrorCode))
        {
            MarkIcmpAnswer(e.SocketErrorCode, UdpIcmpErrors.Drain(_socket));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
        OnDatagram(buffer, n, Stopwatch.GetTimestamp());
        return true;
    }

    private void OnDatagram(byte[] d, int n, long now)
    {
        if (!PingPacket.TryRead(d.AsSpan(0, n), _session, out uint sequence))
        {
            Interlocked.Increment(ref _foreign);
            return;
        }
        long seq = sequence;
        if (seq >= Volatile.Read(ref _sentCount))
        {
            Interlocked.Increment(ref _foreign); // names a probe never sent
            return;
        }
        if (now - _sentAt[seq] >= _timeoutTicks)
        {
            // Its timeout passed before it came: the probe is lost, and this reply is late, whatever the sweep saw.
            if (Interlocked.CompareExchange(ref _state[seq], 2, 0) == 0 && seq >= _o.Warmup)
                _pump.Emit(new PingLost(seq - _o.Warmup + 1, "no reply within the timeout"));
            Interlocked.Increment(ref _late);
            _answered.Set();
            return;
        }
        int before = Interlocked.CompareExchange(ref _state[seq], 1, 0);
        if (before == 1) { Interlocked.Increment(ref _duplicates); return; }
        if (before == 2) { Interlocked.Increment(ref _late); return; }
        double rtt = (now - _sentAt[seq]) * 1000.0 / Stopwatch.Frequency;
        if (seq < _highest) Interlocked.Increment(ref _reordered);
        else _highest = seq;
        _answered.Set();
        if (seq < _o.Warmup) return;
        lock (_rtts) _rtts.Add(rtt);
        _pump.Emit(new PingReply(seq - _o.Warmup + 1, n, rtt, _from, Transport.Udp));
    }

    // False when the send met an ICMP answer to an earlier probe (charged here). A permission error counts as one
    // only when the error queue shows an ICMP answer (Linux): otherwise this machine refused the send, which ends the
    // ping as any other send error does.
    private bool TrySend(byte[] probe, int seq)
    {
        try
        {
            _socket.Send(probe);
            return true;
        }
        catch (SocketException e) when (IsIcmpAnswer(e.SocketErrorCode))
        {
            int answers = UdpIcmpErrors.Drain(_socket);
            if (e.SocketErrorCode == SocketError.AccessDenied && answers == 0) throw Failed(e, seq);
            MarkIcmpAnswer(e.SocketErrorCode, answers);
            return false;
        }
        catch (SocketException e)
        {
            throw Failed(e, seq);
        }
    }

    private NsockException Failed(SocketException e, int seq) => SocketErrors.ClassifyUdp(e, $"sending probe {seq - _o.Warmup + 1} to {_from}");

    // Port unreachable (Linux says refused, Windows says reset), or host or network unreachable.
    private static bool IsIcmpAnswer(SocketError error) =>
        error is SocketError.ConnectionRefused or SocketError.ConnectionReset || UdpIcmpErrors.IsUnreachable(error);

    // An ICMP error does not say which probe it answers: each is charged to the oldest probe waiting. The socket
    // reports the last one; its error queue (Linux) holds them all (drained: how many), so that many probes are charged.
    private void MarkIcmpAnswer(SocketError error, int drained)
    {
        bool refused = error is SocketError.ConnectionRefused or SocketError.ConnectionReset;
        string reason = refused ? "refused (port unreachable)" : "unreachable: " + UdpIcmpErrors.Describe(error);
        int answers = Math.Max(1, drained);
        int sent = Volatile.Read(ref _sentCount);
        for (int seq = Volatile.Read(ref _oldestWaiting); seq < sent && answers > 0; seq++)
        {
            if (Interlocked.CompareExchange(ref _state[seq], 2, 0) != 0) continue;
            answers--;
            if (seq < _o.Warmup) continue;
            if (refused) Interlocked.Increment(ref _refused);
            else Interlocked.Increment(ref _unreachable);
            _pump.Emit(new PingLost(seq - _o.Warmup + 1, reason));
        }
        _answered.Set();
    }

    private void SweepLost()
    {
        long now = Stopwatch.GetTimestamp();
        int sent = Volatile.Read(ref _sentCount);
        int seq = Volatile.Read(ref _oldestWaiting);
        for (; seq < sent; seq++)
        {
            if (Volatile.Read(ref _state[seq]) != 0) continue;
            if (now - _sentAt[seq] < _timeoutTicks) break;
            if (Interlocked.CompareExchange(ref _state[seq], 2, 0) == 0 && seq >= _o.Warmup)
                _pump.Emit(new PingLost(seq - _o.Warmup + 1, "no reply within the timeout"));
        }
        Volatile.Write(ref _oldestWaiting, seq);
    }

    // Sleeps until the next probe is due, sweeping for lost probes every 50 ms so their events come on time.
    private static void SleepUntil(long timestamp, CancellationToken ct, Action sweep)
    {
        while (!ct.IsCancellationRequested)
        {
            long left = timestamp - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(Math.Min(left / (double)Stopwatch.Frequency, 0.05)));
            sweep();
        }
    }
}
