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
internal static class TlsBridge
{
    private static readonly RelayOptions s_relay = new()
    {
        Direction = RelayDirection.Both,
        ShutdownOnInputEnd = true,
        IdleTimeout = null, // the mode's own timeouts apply on its end of the pair
        BufferSize = 64 * 1024,
    };

    /// <summary>Returns the socket the mode serves; the bridge runs until both ends are done (or <paramref name="ct"/> is cancelled).</summary>
    public static Socket Start(Socket network, TlsStream tls, CancellationToken ct)
    {
        (Socket served, Socket bridged) = SocketPair.Create();
        _ = RunAsync(network, tls, bridged, ct);
        return served;
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
            // Cancelled with the listener, or failed: the mode sees its end close and reports the client's end.
        }
        finally
        {
            bridged.Dispose();
            network.Dispose();
        }
    }
}
