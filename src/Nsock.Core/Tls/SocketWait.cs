#if NET
using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Waiting for bytes without a buffer. A zero-byte receive that goes async ends on the socket engine's readiness
// event without reading anything, and that event can be a stale one, for bytes a read that ran at once has already
// taken: the wait then ends with nothing there, and the real read that follows waits holding its buffer (seen with
// TLS clients: one in three of 2,000 idle ones kept SslStream's 32 KiB buffer that way). So a wait that ended
// asynchronously is checked with poll(2) (no buffer, no allocation) and repeated until bytes, the end of the stream
// or an error are really there. A wait that ended at once did read (a 1-byte peek) and is believed.
internal static class SocketWait
{
    /// <summary>Returns once the socket has bytes to read, has ended, or has failed; never holds a buffer.</summary>
    public static ValueTask ReadableAsync(Socket socket, CancellationToken ct = default)
    {
        ValueTask<int> wait = socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct);
        return wait.IsCompletedSuccessfully ? default : CheckedAsync(socket, wait, ct);
    }

    /// <summary>After a zero-byte wait that did not end at once: waits again for as long as nothing is really there.</summary>
    public static async ValueTask RecheckAsync(Socket socket, CancellationToken ct)
    {
        while (!socket.Poll(0, SelectMode.SelectRead))
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CheckedAsync(Socket socket, ValueTask<int> wait, CancellationToken ct)
    {
        await wait.ConfigureAwait(false);
        await RecheckAsync(socket, ct).ConfigureAwait(false);
    }
}
#endif
