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
    private readonly Dictionary<EndPoint, ISession> _sessions = new();
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
                ISession? session = await SessionForAsync(from, sink, ct).ConfigureAwait(false);
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
            ISession[] left;
            lock (_sessions)
            {
                left = new ISession[_sessions.Count];
                _sessions.Values.CopyTo(left, 0);
            }
            foreach (ISession s in left) s.End(ct.IsCancellationRequested ? "listener stopped" : null);
        }
        return new ListenerResult(datagrams, rejected, received, Interlocked.Read(ref _sent), null);
    }

    private async Task<ISession?> SessionForAsync(EndPoint from, IEventSink sink, CancellationToken ct)
    {
        lock (_sessions)
        {
            if (_sessions.TryGetValue(from, out ISession? known)) return known;
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
        ISession session = _options.ForwardTo!.Transport == Transport.Udp
            ? new Session(this, id, from, remote, target, sink)
            : new StreamSession(this, id, from, remote, target, sink);
        lock (_sessions) _sessions[from] = session;
        session.Start();
        return session;
    }

    // A client address's session: takes the client's datagrams, ends once (reporting ClientClosed).
    private interface ISession
    {
        void Start();

        void Up(byte[] buffer, int n);

        void End(string? error);
    }

    // One client address: datagrams up through its own connected socket, replies read from it and sent back from the
    // listening socket; ended by silence or the listener's end, reporting ClientClosed once.
    private sealed class Session : ISession
    {
        private readonly UdpForward _owner;
        private readonly long _id;
        private readonly EndPoint _client;
        private readonly string _remote;
        private readonly Socket _target;
        private readonly IEventSink _sink;
        private readonly long _start = Stopwatch.GetTimestamp();
        private long _lastActivity;
        private long _up;
        private long _down;
        private int _ended;

        public Session(UdpForward owner, long id, EndPoint client, string remote, Socket target, IEventSink sink)
        {
            _owner = owner;
            _id = id;
            _client = client;
            _remote = remote;
            _target = target;
            _sink = sink;
            _lastActivity = _start;
        }

        public void Start() => _ = BlockingThread.RunAsync("nsock udp forward", Down);

        public void Up(byte[] buffer, int n)
        {
            try
            {
                _target.Send(buffer, 0, n, SocketFlags.None);
                Interlocked.Add(ref _up, n);
                Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The target refused it (ICMP) or the session just ended: this datagram is lost, as UDP's are.
            }
        }

        // Replies from the target back to the client, until the session has been silent for the idle timeout.
        private void Down()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
            try
            {
                _target.ReceiveTimeout = (int)Math.Min(1000, Math.Max(50, _owner._idle.TotalMilliseconds / 4));
                while (Volatile.Read(ref _ended) == 0)
                {
                    int n;
                    try
                    {
                        n = _target.Receive(buffer, 0, buffer.Length, SocketFlags.None);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionRefused or SocketError.ConnectionReset)
                    {
                        if (Elapsed(Volatile.Read(ref _lastActivity)) >= _owner._idle) break;
                        continue;
                    }
                    _owner._socket.SendTo(buffer, 0, n, SocketFlags.None, _client);
                    Interlocked.Add(ref _down, n);
                    Interlocked.Add(ref _owner._sent, n);
                    Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
                }
                End(null);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                End(Volatile.Read(ref _ended) != 0 ? null : SocketErrors.FromIo(e, "udp forward").Message);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        public void End(string? error)
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            lock (_owner._sessions) _owner._sessions.Remove(_client);
            _target.Dispose();
            _sink.Emit(new ClientClosed(_id, _remote, Interlocked.Read(ref _up), Interlocked.Read(ref _down), Elapsed(_start).TotalSeconds, error));
        }

        private static TimeSpan Elapsed(long since) => TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency);
    }
}
