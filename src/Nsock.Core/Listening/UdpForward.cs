using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// nsock forward over UDP (socat UDP-RECVFROM,fork UDP:target): each client address is a session with a socket of its
// own connected to the target, so the target's replies find their way back to the client they answer. A session ends
// after IdleTimeout without a datagram either way (UDP has no end of stream); --max-clients bounds the sessions at
// once (a datagram from a new address beyond it is dropped and reported), --count the datagrams taken, as for every
// UDP listener. A tcp or unix target (socat UDP-RECVFROM,fork TCP:target) gives each client address a stream
// connection instead: see UdpForward.StreamSession.cs.
internal sealed partial class UdpForward
{
    /// <summary>How long a session lives without a datagram either way, unless --timeout says otherwise.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(60);

    private const int MaxDatagram = 65535;

    private readonly Socket _socket;
    private readonly ListenerOptions _options;
    private readonly ListenerTally _tally;
    private readonly Dictionary<EndPoint, ForwardSession> _sessions = new();
    private readonly TimeSpan _idle;
    private long _nextId;
    private long _sent;

    public UdpForward(Socket socket, ListenerOptions options, ListenerTally tally)
    {
        _socket = socket;
        _tally = tally;
        _options = options;
        _idle = options.Relay.IdleTimeout is TimeSpan t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan ? t : DefaultIdleTimeout;
    }

    public async Task<ListenerResult> RunAsync(IEventSink sink, CancellationToken ct)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        long datagrams = 0, rejected = 0, received = 0;
        try
        {
            while (_options.Count is not long limit || datagrams < limit)
            {
                int n;
                EndPoint from;
                try
                {
                    (n, from) = await SocketIo.ReceiveFromAsync(_socket, buffer, any, ct).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
                {
                    continue;
                }
                if (!_options.Filter.IsOpen && from is IPEndPoint ip && _options.Filter.RefusalReason(ip.Address) is string reason)
                {
                    rejected++;
                    sink.Emit(new ClientRejected(PeerName.Of(from), reason));
                    continue;
                }
                ForwardSession? session = await SessionForAsync(from, sink, ct).ConfigureAwait(false);
                if (session is null)
                {
                    rejected++;
                    continue;
                }
                datagrams++;
                received += n;
                _tally.Datagram(); // its bytes are counted when its session closes (the closed event carries them)
                session.Up(buffer, n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ForwardSession[] left;
            lock (_sessions)
            {
                left = new ForwardSession[_sessions.Count];
                _sessions.Values.CopyTo(left, 0);
            }
            foreach (ForwardSession s in left) s.End(ct.IsCancellationRequested ? "listener stopped" : null);
        }
        return new ListenerResult(datagrams, rejected, received, Interlocked.Read(ref _sent), null);
    }

    private async Task<ForwardSession?> SessionForAsync(EndPoint from, IEventSink sink, CancellationToken ct)
    {
        lock (_sessions)
        {
            if (_sessions.TryGetValue(from, out ForwardSession? known)) return known;
            if (_sessions.Count >= _options.MaxClients)
            {
                sink.Emit(new ClientRejected(PeerName.Of(from), $"{_sessions.Count} UDP sessions already (--max-clients)"));
                return null;
            }
        }
        long id = ++_nextId;
        string remote = PeerName.Of(from);
        sink.Emit(new ClientConnected(id, remote, PeerName.Of(_socket.LocalEndPoint)));
        Socket target;
        try
        {
            target = await Connector.ConnectAsync(_options.ForwardTo!, _options.ForwardConnect, ct).ConfigureAwait(false);
        }
        catch (NsockException e)
        {
            sink.Emit(new ClientClosed(id, remote, 0, 0, 0, $"target {_options.ForwardTo}: {e.Message}"));
            return null;
        }
        Connected to = Connected.To(_options.ForwardTo!, target);
        sink.Emit(new ClientForwarded(id, remote, to.Remote, to.Local));
        ForwardSession session = _options.ForwardTo!.Transport == Transport.Udp
            ? new Session(this, id, from, remote, target, sink)
            : new StreamSession(this, id, from, remote, target, sink);
        lock (_sessions) _sessions[from] = session;
        session.Start();
        return session;
    }

    // A client address's session: its own socket to the target, the target's replies read back to the client (Down),
    // ended once (reporting ClientClosed). Session (a UDP target) and StreamSession (tcp or unix) differ in how the
    // client's datagrams go up and in what a read of the target means.
    private abstract class ForwardSession
    {
        private readonly long _id;
        private readonly string _remote;
        private readonly IEventSink _sink;
        private readonly long _start = Stopwatch.GetTimestamp();
        private long _lastActivity;
        private long _up;
        private long _down;
        private int _ended;

        protected ForwardSession(UdpForward owner, long id, EndPoint client, string remote, Socket target, IEventSink sink)
        {
            Owner = owner;
            _id = id;
            Client = client;
            _remote = remote;
            Target = target;
            _sink = sink;
            _lastActivity = _start;
        }

        protected UdpForward Owner { get; }

        protected EndPoint Client { get; }

        protected Socket Target { get; }

        protected bool Ended => Volatile.Read(ref _ended) != 0;

        public abstract void Start();

        /// <summary>One datagram of the client's, on the listener's receive loop.</summary>
        public abstract void Up(byte[] buffer, int n);

        protected void Touch() => Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());

        protected void CountUp(int n)
        {
            Interlocked.Add(ref _up, n);
            Touch();
        }

        // The target's replies back to the client, a datagram per read of at most readSize bytes, until the session has
        // been quiet for the idle timeout or (a stream target) the target ends its stream. what names the target in
        // an error.
        protected void Down(int readSize, bool streamTarget, string what)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(readSize);
            try
            {
                Target.ReceiveTimeout = (int)Math.Min(1000, Math.Max(50, Owner._idle.TotalMilliseconds / 4));
                while (!Ended)
                {
                    int n;
                    try
                    {
                        n = Target.Receive(buffer, 0, readSize, SocketFlags.None);
                    }
                    catch (SocketException e) when (NothingYet(e.SocketErrorCode, streamTarget))
                    {
                        if (Elapsed(Volatile.Read(ref _lastActivity)) >= Owner._idle) break;
                        continue;
                    }
                    if (n == 0 && streamTarget) break; // the target ended its stream: so does the session (for UDP, an empty datagram)
                    Owner._socket.SendTo(buffer, 0, n, SocketFlags.None, Client);
                    Interlocked.Add(ref _down, n);
                    Interlocked.Add(ref Owner._sent, n);
                    Touch();
                }
                End(null);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                End(Ended ? null : SocketErrors.FromIo(e, what).Message);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        // A read that timed out; from a UDP target also an ICMP answer to one datagram (refused, reset): the datagram
        // is lost, as UDP's are, and the session goes on.
        private static bool NothingYet(SocketError code, bool streamTarget) =>
            code is SocketError.TimedOut or SocketError.WouldBlock
            || (!streamTarget && code is SocketError.ConnectionRefused or SocketError.ConnectionReset);

        public void End(string? error)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            lock (Owner._sessions) Owner._sessions.Remove(Client);
            error = Ending(error);
            Target.Dispose();
            _sink.Emit(new ClientClosed(_id, _remote, Interlocked.Read(ref _up), Interlocked.Read(ref _down), Elapsed(_start).TotalSeconds, error));
        }

        /// <summary>What a session gives up as it ends, before its socket closes; returns the closed event's error.</summary>
        protected virtual string? Ending(string? error) => error;

        private static TimeSpan Elapsed(long since) => TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency);
    }

    // One client address forwarded to a UDP target: datagrams up through its own connected socket, replies read from
    // it and sent back from the listening socket.
    private sealed class Session : ForwardSession
    {
        public Session(UdpForward owner, long id, EndPoint client, string remote, Socket target, IEventSink sink)
            : base(owner, id, client, remote, target, sink)
        {
        }

        public override void Start() => _ = BlockingThread.RunAsync("nsock udp forward", () => Down(MaxDatagram, streamTarget: false, "udp forward"));

        public override void Up(byte[] buffer, int n)
        {
            try
            {
                Target.Send(buffer, 0, n, SocketFlags.None);
                CountUp(n);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The target refused it (ICMP) or the session just ended: this datagram is lost, as UDP's are.
            }
        }
    }
}
