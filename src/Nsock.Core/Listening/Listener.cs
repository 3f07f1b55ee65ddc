using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// A bound listener: TCP, UDP or Unix. Bind first (<see cref="BindAsync"/>) to learn the real address, then
/// <see cref="RunAsync"/> to serve. One misbehaving client (a reset, a vanishing peer, an oversize datagram)
/// only ends that client; the listener keeps serving.
/// </summary>
/// <remarks>
/// The listener binds, accepts, filters peers, keeps to the client limits and reports clients coming and going;
/// what a client is served is its mode's handler's business (see <c>ClientHandlers</c>). UDP has a loop of its own.
/// </remarks>
public sealed class Listener : IDisposable
{
    private readonly Socket _socket;
    private readonly ListenerOptions _options;
    private readonly string? _unixPathToDelete;
    private readonly ListenerTally _tally = new();
    private readonly CrowdTrim _crowd = new();
    private int _disposed;
    private IEventSink? _statisticsSink;
    private readonly object _reportLock = new();
    private bool _finalReported;

    /// <summary>The reason a client closed because the listener stopped: not counted as an error.</summary>
    internal const string StoppedReason = "listener stopped";

    private Listener(Socket socket, ListenerOptions options, ListenerReady ready, string? unixPath)
    {
        _socket = socket;
        _options = options;
        Ready = options.Tls is TlsServer tls ? ready with { TlsCertificateSha256 = tls.CertificateSha256, TlsKeyPin = tls.KeyPin, TlsNotAfter = tls.NotAfter } : ready;
        _unixPathToDelete = unixPath;
    }

    /// <summary>Where the listener is bound, with the real port: the first event <see cref="RunAsync"/> reports.</summary>
    public ListenerReady Ready { get; }

    /// <summary>
    /// The listener's counters now (clients, bytes each way, datagrams, files, errors): safe to read from any
    /// thread while <see cref="RunAsync"/> serves, and after it returned (the final counts).
    /// </summary>
    public ListenerStatistics Statistics => _tally.Snapshot();

    /// <summary>Binds (and for stream sockets, listens) as <paramref name="options"/> says; fails with a clear error if the address is taken.</summary>
    public static async Task<Listener> BindAsync(ListenerOptions options, CancellationToken ct)
    {
        Endpoint ep = options.Endpoint;
        ClientHandlers.Validate(options);
        if (ep.Transport == Transport.Unix) return BindUnix(options);

        IPAddress address = await BindAddressAsync(ep, options.IpVersion, ct).ConfigureAwait(false);
        bool udp = ep.Transport == Transport.Udp;
        var socket = udp
            ? new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = options.IpVersion == IpVersion.Any;
            // No ReuseAddress here: on Unix .NET maps it to SO_REUSEPORT too, which would let a second process
            // bind the same port and silently take half the clients. .NET already sets plain SO_REUSEADDR for
            // TCP listeners on Unix, so a restarted listener still binds while old connections sit in TIME_WAIT.
            socket.Bind(new IPEndPoint(address, ep.Port));
            if (!udp) socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw SocketErrors.Classify(e, $"listen on {ep}");
        }

        var local = (IPEndPoint)socket.LocalEndPoint!;
        string shown = local.Address.Equals(IPAddress.IPv6Any) || local.Address.Equals(IPAddress.Any) ? local.Address.ToString() : CidrBlock.Normalize(local.Address).ToString();
        var real = new Endpoint(ep.Transport, shown, local.Port);
        var ready = new ListenerReady(udp ? Transport.Udp : Transport.Tcp, shown, local.Port, real.ToString());
        return new Listener(socket, options, ready, null);
    }

    /// <summary>
    /// Serves until cancelled, until <see cref="ListenerOptions.Count"/> clients were served, or (plain relay
    /// mode, no keep-open) until the one client's relay ends. Reports <see cref="Ready"/> first, then client
    /// events. Cancelling stops accepting, closes every client and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<ListenerResult> RunAsync(Stream? input, Stream? output, IEventSink sink, CancellationToken ct)
    {
        // One record of the whole run, every client's chunks under its number; opened before Ready, so a file that
        // cannot be written fails the run before any client is taken.
        using SessionRecorder? recorder = SessionRecorder.Open(_options.HexDumpPath, _options.OutputPath);
        sink.Emit(Ready);
        IEventSink outer = sink;
        sink = _tally.Around(sink);
        _tally.Start();
        Volatile.Write(ref _statisticsSink, outer);
        // Reports every interval (a timer; no thread of its own) and once more, final, however the run ends.
        using Timer? reports = _options.StatisticsInterval is TimeSpan every
            ? new Timer(static s => ((Listener)s!).ReportStatistics(), this, every, every)
            : null;
        // Closing the listening socket is what unblocks a pending accept on every platform.
        using CancellationTokenRegistration reg = ct.Register(static s => ((Listener)s!).CloseSocket(), this);
        try
        {
            if (_options.Endpoint.Transport == Transport.Udp)
                return await new UdpServer(_socket, _options, _tally, recorder).RunAsync(input, output, sink, ct).ConfigureAwait(false);
            ClientServing serving = ClientHandlers.For(_options, input, output, sink, recorder);
            return serving.OnlyClient
                ? await ServeOnlyClientAsync(serving.Handler, sink, ct).ConfigureAwait(false)
                : await ServeManyAsync(serving, sink, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("listener stopped", e, ct);
        }
        finally
        {
            reports?.Dispose();
            // Under the lock: a timer report already under way goes out first, none comes after the final one.
            lock (_reportLock)
            {
                _finalReported = true;
                if (_options.StatisticsInterval is not null) outer.Emit(_tally.Snapshot(final: true));
            }
        }
    }

    /// <summary>
    /// Reports the counters now as a <c>stats</c> event, to the sink given to <see cref="RunAsync"/> (for a report
    /// asked for between intervals, e.g. on SIGUSR1). Does nothing before the run started or after its final report.
    /// </summary>
    public void ReportStatistics()
    {
        lock (_reportLock)
        {
            if (!_finalReported) _statisticsSink?.Emit(_tally.Snapshot());
        }
    }

    /// <summary>Closes the listening socket (and removes the Unix socket file this listener made).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        CloseSocket();
        if (_unixPathToDelete is not null)
        {
            try { File.Delete(_unixPathToDelete); } catch (IOException) { /* someone else removed or replaced it */ } catch (UnauthorizedAccessException) { }
        }
    }

    private void CloseSocket() => _socket.Dispose();

    private async Task<ListenerResult> ServeOnlyClientAsync(IClientHandler handler, IEventSink sink, CancellationToken ct)
    {
        long rejected = 0;
        Socket client;
        TlsBridge? bridge = null;
        TlsInfo? tlsInfo = null;
        while (true)
        {
            client = await AcceptAsync(ct).ConfigureAwait(false);
            if (!Admit(client, sink))
            {
                rejected++;
                continue;
            }
            if (_options.Tls is null) break;
            // With TLS the handshake comes first, here: a client that fails it is refused and the next one taken.
            (bridge, tlsInfo) = await StartTlsAsync(client, sink, ct).ConfigureAwait(false);
            if (bridge is not null) break;
            rejected++;
        }
        CloseSocket(); // nobody else gets in while the one client is served
        ClientContext context = Connected(1, bridge?.Served ?? client, client, sink, handler, tlsInfo);
        // The one client's end is the run's: cancellation propagates, and the result carries the handler's outcome.
        ClientOutcome? outcome;
        try
        {
            outcome = await handler.ServeAsync(bridge?.Served ?? client, context, ct).ConfigureAwait(false);
        }
        finally
        {
            if (bridge is not null) await bridge.ReleaseAsync().ConfigureAwait(false);
        }
        Closed(context, outcome, _tally);
        return new ListenerResult(1, rejected, outcome?.BytesReceived ?? 0, outcome?.BytesSent ?? 0, outcome?.Relay);
    }

    private async Task<ListenerResult> ServeManyAsync(ClientServing serving, IEventSink sink, CancellationToken ct)
    {
        var slots = new SemaphoreSlim(Math.Max(1, _options.MaxClients));
        var running = new ConcurrentDictionary<long, Task>();
        long accepted = 0, rejected = 0;
        try
        {
            while (serving.Count is not long limit || accepted < limit)
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                Socket client;
                try
                {
                    client = await AcceptAsync(ct).ConfigureAwait(false);
                }
                catch
                {
                    slots.Release();
                    throw;
                }
                if (!Admit(client, sink))
                {
                    rejected++;
                    slots.Release();
                    continue;
                }
                long id = ++accepted;
                _crowd.Joined();
                Task serve = _options.Tls is null
                    ? ServeOneOfManyAsync(serving.Handler, client, Connected(id, client, client, sink, serving.Handler), _tally, ct)
                    : ServeTlsClientAsync(serving.Handler, client, id, sink, ct);
                running[id] = serve;
                _ = serve.ContinueWith(_ =>
                {
                    running.TryRemove(id, out Task? _);
                    slots.Release();
                    _crowd.Left();
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            // Clients handle their own failures; what is left is waiting for them (they stop on cancellation).
            await Task.WhenAll(running.Values).ConfigureAwait(false);
        }
        return new ListenerResult(accepted, rejected, 0, 0, null);
    }

    // One of many clients: whatever happens to it ends only that client, never the listener.
    private static async Task ServeOneOfManyAsync(IClientHandler handler, Socket client, ClientContext context, ListenerTally tally, CancellationToken ct)
    {
        ClientOutcome? outcome;
        try
        {
            outcome = await handler.ServeAsync(client, context, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            client.Dispose();
            outcome = new ClientOutcome(0, 0, 0, StoppedReason);
        }
        catch (Exception e)
        {
            client.Dispose();
            outcome = new ClientOutcome(0, 0, 0, SocketErrors.FromIo(e, "serving a client").Message);
        }
        Closed(context, outcome, tally);
    }

    // One of many TLS clients: its handshake runs here, on its own (bounded by the handshake timeout), so a client
    // that never handshakes holds up nobody; failing it is a rejected event with the reason, and the listener goes on.
    private async Task ServeTlsClientAsync(IClientHandler handler, Socket client, long id, IEventSink sink, CancellationToken ct)
    {
        TlsBridge? bridge;
        TlsInfo? info;
        try
        {
            (bridge, info) = await StartTlsAsync(client, sink, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // the listener stopped during the handshake: the client never was one
        }
        if (bridge is null) return;
        await ServeOneOfManyAsync(handler, bridge.Served, Connected(id, bridge.Served, client, sink, handler, info), _tally, ct).ConfigureAwait(false);
        await bridge.ReleaseAsync().ConfigureAwait(false);
    }

    // The handshake, then the bridge whose socket the mode serves, and what the handshake settled (reported once the
    // client is connected); no bridge when the handshake failed, reported as the client's rejection. Cancellation throws.
    private async Task<(TlsBridge? Bridge, TlsInfo? Info)> StartTlsAsync(Socket client, IEventSink sink, CancellationToken ct)
    {
        TlsServer tls = _options.Tls!;
        try
        {
            (TlsStream stream, TlsInfo info) = await tls.AcceptAsync(client, ct).ConfigureAwait(false);
            try
            {
                return (TlsBridge.Start(client, stream, ct), info);
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            string remote = PeerName.Of(client.RemoteEndPoint);
            client.Dispose();
            sink.Emit(new ClientRejected(remote, e is NsockException ? e.Message : SocketErrors.FromIo(e, "TLS handshake").Message));
            return (null, null);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    // served: the socket the mode serves (the client's own, or its end of the TLS bridge); network: the client's
    // connection, whose addresses the event shows; tls: what its handshake settled, reported right after it connected.
    private static ClientContext Connected(long id, Socket served, Socket network, IEventSink sink, IClientHandler handler, TlsInfo? tls = null)
    {
        var context = new ClientContext(id, PeerName.Of(network.RemoteEndPoint), sink);
        if (handler is IJoinsOnArrival room) room.Join(served, context);
        sink.Emit(new ClientConnected(id, context.Remote, PeerName.Of(network.LocalEndPoint)));
        if (tls is not null) sink.Emit(new ClientTlsNegotiated(id, context.Remote, tls));
        return context;
    }

    private static void Closed(ClientContext context, ClientOutcome? outcome, ListenerTally tally)
    {
        if (outcome is null)
        {
            tally.ClientEnded(); // the handler reported on this client its own way (a FileResult per file)
            return;
        }
        context.Sink.Emit(new ClientClosed(context.Id, context.Remote, outcome.BytesReceived, outcome.BytesSent, outcome.Seconds, outcome.Error));
    }

    private async Task<Socket> AcceptAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return await SocketIo.AcceptAsync(_socket, ct).ConfigureAwait(false);
            }
            catch (SocketException e) when (!ct.IsCancellationRequested && IsTransientAcceptError(e.SocketErrorCode))
            {
                // A client that reset before we accepted it, or a momentary lack of descriptors: try again.
                await Task.Delay(e.SocketErrorCode == SocketError.TooManyOpenSockets ? 100 : 0, ct).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
        }
    }

    private static bool IsTransientAcceptError(SocketError code) =>
        code is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.TooManyOpenSockets
            or SocketError.NoBufferSpaceAvailable or SocketError.Interrupted;

    private bool Admit(Socket client, IEventSink sink)
    {
        if (_options.Filter.IsOpen || client.RemoteEndPoint is not IPEndPoint peer) return true;
        string? reason = _options.Filter.RefusalReason(peer.Address);
        if (reason is null) return true;
        sink.Emit(new ClientRejected(PeerName.Of(peer), reason));
        // A refused peer gets a reset, not a polite close: it should not think it was served.
        try { client.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
        client.Dispose();
        return false;
    }

    private static async Task<IPAddress> BindAddressAsync(Endpoint ep, IpVersion version, CancellationToken ct)
    {
        if (!ep.IsAnyHost)
        {
            IPAddress[] all = await NameResolver.ResolveAsync(ep.Host!, version, NameResolver.DefaultTimeout, ct).ConfigureAwait(false);
            return all[0];
        }
        return version switch
        {
            IpVersion.V4 => IPAddress.Any,
            IpVersion.V6 => IPAddress.IPv6Any,
            _ => Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any,
        };
    }

    private static Listener BindUnix(ListenerOptions options)
    {
        string path = options.Endpoint.UnixPath!;
        EndPoint ep = SocketIo.UnixEndPoint(path);
        if (File.Exists(path) || Directory.Exists(path))
            throw new NsockException(NsockErrorKind.Io,
                $"listen on unix:{path}: address already in use: the path exists (remove it first if it is a socket left by a listener that died)");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(ep);
            socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw SocketErrors.Classify(e, $"listen on unix:{path}");
        }
        var ready = new ListenerReady(Transport.Unix, path, 0, "unix:" + path);
        return new Listener(socket, options, ready, path);
    }
}
