using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// nsock forward (socat TCP-LISTEN,fork TCP:target): each client gets a connection of its own to the target, and the
// relay of connect and listen moves the bytes both ways: the target stands where the input and output would be, and
// end of stream is passed on in each direction (half-close), so a request/response over a half-close works through it.
internal sealed class ForwardHandler : IClientHandler
{
    /// <summary>Bytes per read in each direction of each client: two of these per client (100 clients: 25 MiB).</summary>
    public const int BufferSize = 128 * 1024;

    private readonly Endpoint _target;
    private readonly ConnectOptions _connect;
    private readonly RelayOptions _relay;

    /// <param name="target">Where each client is forwarded.</param>
    /// <param name="connect">How the target is connected (address family).</param>
    /// <param name="idleTimeout">--timeout: the silence allowed after one side ended.</param>
    /// <param name="inactivity">--idle-timeout: a forwarded connection quiet both ways this long is closed.</param>
    public ForwardHandler(Endpoint target, ConnectOptions connect, TimeSpan? idleTimeout, TimeSpan? inactivity = null)
    {
        _target = target;
        _connect = connect;
        _relay = new RelayOptions { IdleTimeout = idleTimeout, InactivityTimeout = inactivity, BufferSize = BufferSize };
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
            // The client learns it with a reset: it should not think it was served.
            try { client.LingerState = new LingerOption(true, 0); } catch (SocketException) { }
            client.Dispose();
            return new ClientOutcome(0, 0, Seconds(start), $"target {_target}: {e.Message}");
        }
        using (target)
        {
            Connected to = Connected.To(_target, target);
            context.Sink.Emit(new ClientForwarded(context.Id, context.Remote, to.Remote, to.Local));
            var stream = new SocketStream(target);
            RelayResult r = await StreamRelay.RunAsync(client, stream, stream, _relay, ct).ConfigureAwait(false);
            return new ClientOutcome(r.BytesReceived, r.BytesSent, r.Seconds, r.Error?.Message) { Relay = r };
        }
    }

    private static double Seconds(long since) => (Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency;
}
