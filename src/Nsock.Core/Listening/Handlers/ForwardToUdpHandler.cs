using System;
using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// nsock forward tcp://L udp://T (socat TCP-LISTEN,fork UDP:T): each stream client gets a UDP socket of its own,
// connected to the target, so the target's replies come back to the client they answer. Each read of the stream (at
// most DatagramBytes) is sent as one datagram; each datagram back is written to the stream as it is, without framing.
// UDP cannot pass on an end of stream: after the client half-closes, replies are still written back until the target
// has been quiet for the linger (--timeout, else socat's -t 0.5 s), then the client gets its FIN. A port-unreachable
// from the target ends the session (as socat does), the client reset (it should not think it was served).
internal sealed class ForwardToUdpHandler : IClientHandler
{
    /// <summary>The most bytes of the stream one datagram carries: socat's default block size (-b 8192).</summary>
    public const int DatagramBytes = 8192;

    /// <summary>How long replies are awaited after the client half-closed, unless --timeout says: socat's -t.</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(0.5);

    private const int MaxDatagram = 65535;

    private readonly Endpoint _target;
    private readonly ConnectOptions _connect;
    private readonly TimeSpan _linger;
    private readonly TimeSpan? _inactivity;

    /// <param name="target">The UDP target.</param>
    /// <param name="connect">How the target is reached (address family).</param>
    /// <param name="linger">--timeout: how long the target may stay quiet after the client half-closed (null: 0.5 s).</param>
    /// <param name="inactivity">--idle-timeout: a session quiet both ways this long is closed (null: never while the client is there).</param>
    public ForwardToUdpHandler(Endpoint target, ConnectOptions connect, TimeSpan? linger, TimeSpan? inactivity)
    {
        _target = target;
        _connect = connect;
        _linger = linger is TimeSpan t && t > TimeSpan.Zero ? t : DefaultLinger;
        _inactivity = inactivity is TimeSpan i && i > TimeSpan.Zero && i != Timeout.InfiniteTimeSpan ? i : null;
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        Socket target;
        try
        {
            target = await Connector.ConnectAsync(_target, _connect, ct).ConfigureAwait(false);
        }
        catch (NsockException e)
        {
            Reset(client);
            return new ClientOutcome(0, 0, Seconds(start), $"target {_target}: {e.Message}");
        }
        using (target)
        using (client)
        {
            Connected to = Connected.To(_target, target);
            context.Sink.Emit(new ClientForwarded(context.Id, context.Remote, to.Remote, to.Local));
            var session = new Session(this, client, target, ct);
            string? error = await session.RunAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new ClientOutcome(session.Up, session.Down, Seconds(start), error);
        }
    }

    private static void Reset(Socket client)
    {
        try { client.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
        client.Dispose();
    }

    private static double Seconds(long since) => (Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency;

    // One client: the stream read up into datagrams, datagrams written down into the stream, and a watch that ends
    // both when the linger after the client's end or the inactivity limit has passed.
    private sealed class Session
    {
        private readonly ForwardToUdpHandler _owner;
        private readonly Socket _client;
        private readonly Socket _target;
        private readonly CancellationTokenSource _stop;
        private long _lastActivity = Stopwatch.GetTimestamp();
        private long _clientEnded; // timestamp of the client's half-close; 0 while it sends
        private string? _error;
        private bool _resetClient;

        public long Up;
        public long Down;

        public Session(ForwardToUdpHandler owner, Socket client, Socket target, CancellationToken ct)
        {
            _owner = owner;
            _client = client;
            _target = target;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        }

        public async Task<string?> RunAsync()
        {
            using (_stop)
            {
                Task up = UpAsync();
                Task down = DownAsync();
                Task watch = WatchAsync();
                await Task.WhenAny(down, watch).ConfigureAwait(false);
                _stop.Cancel();
                await Task.WhenAll(Quietly(up), Quietly(down), Quietly(watch)).ConfigureAwait(false);
            }
            if (_resetClient)
            {
                Reset(_client);
            }
            else
            {
                // Everything the target said is written: the client gets a FIN (a graceful end), not a reset.
                try { _client.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            }
            return _error;
        }

        private async Task UpAsync()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(DatagramBytes);
            try
            {
                while (true)
                {
                    int n = await SocketIo.ReceiveAsync(_client, buffer, 0, DatagramBytes, _stop.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        Touch();
                        Volatile.Write(ref _clientEnded, Stopwatch.GetTimestamp());
                        return;
                    }
                    try
                    {
                        await SendDatagramAsync(buffer, n).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (IsUnreachable(e) && !_stop.IsCancellationRequested)
                    {
                        Fail(Refused, reset: true);
                        return;
                    }
                    Interlocked.Add(ref Up, n);
                    Touch();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException && !_stop.IsCancellationRequested)
            {
                Fail(SocketErrors.FromIo(e, "client").Message, reset: false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private string Refused => $"target {_owner._target}: connection refused (nothing listens there)";

        // A port-unreachable from the target: ECONNREFUSED on Unix, WSAECONNRESET on Windows (a connected UDP socket).
        private static bool IsUnreachable(SocketException e) => e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset;

        private async Task SendDatagramAsync(byte[] buffer, int n)
        {
#if NET
            await _target.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
#else
            await SocketIo.SendAllAsync(_target, buffer, 0, n, _stop.Token).ConfigureAwait(false);
#endif
        }

        private async Task DownAsync()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
            try
            {
                while (true)
                {
                    int n;
                    try
                    {
                        n = await SocketIo.ReceiveAsync(_target, buffer, 0, MaxDatagram, _stop.Token).ConfigureAwait(false);
                    }
                    catch (SocketException e) when (IsUnreachable(e) && !_stop.IsCancellationRequested)
                    {
                        Fail(Refused, reset: true);
                        return;
                    }
                    Touch();
                    await SocketIo.SendAllAsync(_client, buffer, 0, n, _stop.Token).ConfigureAwait(false);
                    Interlocked.Add(ref Down, n);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException && !_stop.IsCancellationRequested)
            {
                // Writing to the client failed: it is gone (reset), nothing more to tell it.
                Fail(SocketErrors.FromIo(e, "client").Message, reset: true);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        // Wakes a few times per limit: ends the session once the target has been quiet for the linger after the
        // client's end, or both ways for --idle-timeout, or the client reset (the up loop failed).
        private async Task WatchAsync()
        {
            TimeSpan shortest = _owner._inactivity is TimeSpan i && i < _owner._linger ? i : _owner._linger;
            TimeSpan tick = TimeSpan.FromMilliseconds(Math.Min(250, Math.Max(10, shortest.TotalMilliseconds / 5)));
            while (true)
            {
                await Task.Delay(tick, _stop.Token).ConfigureAwait(false);
                if (Volatile.Read(ref _error) is not null) return;
                TimeSpan quiet = Elapsed(Interlocked.Read(ref _lastActivity));
                if (Interlocked.Read(ref _clientEnded) != 0 && quiet >= _owner._linger) return;
                if (_owner._inactivity is TimeSpan limit && quiet >= limit) return;
            }
        }

        private void Fail(string error, bool reset)
        {
            if (Interlocked.CompareExchange(ref _error, error, null) is null) _resetClient = reset;
        }

        private void Touch() => Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());

        private static TimeSpan Elapsed(long since) => TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency);

        private static async Task Quietly(Task t)
        {
            try { await t.ConfigureAwait(false); } catch (Exception) { /* the session's end is reported by _error */ }
        }
    }
}
