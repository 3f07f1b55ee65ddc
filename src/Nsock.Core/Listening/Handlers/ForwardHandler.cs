using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// nsock forward (socat TCP-LISTEN,fork TCP:target): each client gets a connection of its own to the target, and the
// relay of connect and listen moves the bytes both ways: the target stands where the input and output would be, and
// end of stream is passed on in each direction (half-close), so a request/response over a half-close works through it.
internal sealed class ForwardHandler : IClientHandler
{
    /// <summary>
    /// Bytes per read in each direction of a plain forward, as socat -b 1048576: taken only while bytes are waiting
    /// (RelayBuffer), so an idle client holds none. Measured through a loopback forward: 1 MiB reads 2.80 GB/s,
    /// 256 KiB 2.20, 128 KiB 2.08, socat 2.70 (scripts/bench, 2026-12-01).
    /// </summary>
    public const int BufferSize = 1024 * 1024;

    // TLS to the target: a record is at most 16 KiB, so a bigger read buys nothing; that direction's buffer is held.
    private const int TlsBufferSize = 64 * 1024;

    private readonly Endpoint _target;
    private readonly ConnectOptions _connect;
    private readonly RelayOptions _relay;
    private readonly TlsClient? _tls;
    private readonly string _shown;

    /// <param name="target">Where each client is forwarded.</param>
    /// <param name="connect">How the target is connected (address family).</param>
    /// <param name="idleTimeout">--timeout: the silence allowed after one side ended.</param>
    /// <param name="inactivity">--idle-timeout: a forwarded connection quiet both ways this long is closed.</param>
    /// <param name="tls">TLS to the target (a tls://host:port target), or null.</param>
    public ForwardHandler(Endpoint target, ConnectOptions connect, TimeSpan? idleTimeout, TimeSpan? inactivity = null, TlsClient? tls = null)
    {
        _target = target;
        _connect = connect;
        _tls = tls;
        // The target as the user wrote it, in messages: a TLS target is tcp:// underneath.
        _shown = tls is null ? target.ToString() : "tls" + target.ToString().Substring("tcp".Length);
        _relay = new RelayOptions { IdleTimeout = idleTimeout, InactivityTimeout = inactivity, BufferSize = BufferSize, ReleaseBufferWhenIdle = true };
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        Socket target;
        TlsStream? tls = null;
        TlsInfo? info = null;
        try
        {
            target = await Connector.ConnectAsync(_target, _connect, ct).ConfigureAwait(false);
            // A target that fails the handshake (not verified, not TLS, too slow) is one that could not be reached.
            if (_tls is not null) (tls, info) = await _tls.HandshakeAsync(target, _target, ct).ConfigureAwait(false);
        }
        catch (NsockException e)
        {
            // The client learns it with a reset: it should not think it was served.
            try { client.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
            client.Dispose();
            return new ClientOutcome(0, 0, Seconds(start), $"target {_shown}: {e.Message}");
        }
        using (target)
        using (tls)
        {
            Connected to = Connected.To(_target, target);
            context.Sink.Emit(new ClientForwarded(context.Id, context.Remote, to.Remote, to.Local) { Tls = info });
            Stream stream = tls is null ? new SocketStream(target) : new TlsTargetStream(tls, target);
            RelayOptions relay = tls is null
                ? _relay with { Splice = !PeerLocation.OnThisHost(client) && !PeerLocation.OnThisHost(target) }
                : _relay with { BufferSize = TlsBufferSize };
            RelayResult r = await StreamRelay.RunAsync(client, stream, stream, relay, ct).ConfigureAwait(false);
            return new ClientOutcome(r.BytesReceived, r.BytesSent, r.Seconds, r.Error?.Message) { Relay = r };
        }
    }

    private static double Seconds(long since) => (Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency;
}
