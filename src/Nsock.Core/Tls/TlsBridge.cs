using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// A TLS client of a listener, handed to its mode as a plain socket: every mode (relay, echo, files, broker, chat,
// exec, forward) serves sockets, so TLS is taken off once here instead of in each of them. The decrypted bytes
// cross a socket pair; the relay between the pair's other end and the TLS stream passes half-closes both ways
// (the client's close_notify or FIN becomes the mode's end of stream; the mode's shutdown becomes close_notify,
// then FIN) and ends, closing the client, when both directions are done or either fails.
internal sealed class TlsBridge
{
    /// <summary>How long, once the mode is done with a client, the last bytes may take to reach it and the client to close.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(10);

    private static readonly RelayOptions s_relay = new()
    {
        Direction = RelayDirection.Both,
        ShutdownOnInputEnd = true,
        IdleTimeout = null, // the mode's own timeouts apply on its end of the pair
        BufferSize = 64 * 1024,
    };

    private readonly CancellationTokenSource _stop;
    private readonly Task _run;

    private TlsBridge(Socket served, CancellationTokenSource stop, Task run)
    {
        Served = served;
        _stop = stop;
        _run = run;
    }

    /// <summary>The socket the mode serves.</summary>
    public Socket Served { get; }

    /// <summary>Starts the bridge; it runs until both ends are done, <paramref name="ct"/> is cancelled or <see cref="ReleaseAsync"/> ends it.</summary>
    public static TlsBridge Start(Socket network, TlsStream tls, CancellationToken ct)
    {
        (Socket served, Socket bridged) = SocketPair.Create();
        var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        return new TlsBridge(served, stop, RunAsync(network, tls, bridged, stop.Token));
    }

    /// <summary>
    /// The mode is done with the client (its end is closed): the bridge ends by itself once the last bytes are out and
    /// the client has closed; a client that stays (silent after the close_notify) is closed after <see cref="CloseGrace"/>,
    /// as the mode would have closed it without TLS.
    /// </summary>
    public async Task ReleaseAsync()
    {
        using (var grace = new CancellationTokenSource(CloseGrace))
        {
            var ran = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (grace.Token.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(false), ran))
            {
                if (await Task.WhenAny(_run, ran.Task).ConfigureAwait(false) != _run) _stop.Cancel();
            }
        }
        await _run.ConfigureAwait(false); // never throws: RunAsync catches everything
        _stop.Dispose();
    }

    private static async Task RunAsync(Socket network, TlsStream tls, Socket bridged, CancellationToken ct)
    {
        var end = new SocketStream(bridged);
        try
        {
            await StreamRelay.RunAsync(network, end, end, s_relay, ct, tls).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Cancelled (the listener stopped, or the grace ran out) or failed: the mode sees its end close and
            // reports the client's end itself.
        }
        finally
        {
            bridged.Dispose();
            network.Dispose();
        }
    }
}
