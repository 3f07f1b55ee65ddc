using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// The few socket calls whose shape differs between netstandard2.0 and .NET 8. On .NET 8 they are the
// cancellable ValueTask overloads, which allocate nothing per call; on netstandard2.0 (Windows PowerShell)
// cancellation closes the socket, the only way that platform can abandon a pending call.
internal static class SocketIo
{
    public static async Task ConnectAsync(Socket socket, EndPoint endPoint, CancellationToken ct)
    {
#if NET
        await socket.ConnectAsync(endPoint, ct).ConfigureAwait(false);
#else
        using (ct.Register(static s => ((Socket)s!).Dispose(), socket))
        {
            try
            {
                await Task.Factory.FromAsync(socket.BeginConnect, socket.EndConnect, endPoint, null).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
        }
#endif
    }

    public static async Task<Socket> AcceptAsync(Socket listener, CancellationToken ct)
    {
#if NET
        return await listener.AcceptAsync(ct).ConfigureAwait(false);
#else
        using (ct.Register(static s => ((Socket)s!).Dispose(), listener))
        {
            try
            {
                return await Task.Factory.FromAsync(listener.BeginAccept, listener.EndAccept, null).ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
        }
#endif
    }

    public static ValueTask<int> ReceiveAsync(Socket socket, byte[] buffer, int offset, int count, CancellationToken ct)
    {
#if NET
        return socket.ReceiveAsync(buffer.AsMemory(offset, count), SocketFlags.None, ct);
#else
        return new ValueTask<int>(WithCancel(socket, ct, socket.ReceiveAsync(new ArraySegment<byte>(buffer, offset, count), SocketFlags.None)));
#endif
    }

    // On .NET 8 a zero-byte receive that goes async ends on the socket engine's readiness event without reading anything,
    // and that event can be a stale one, for bytes a read that ran at once has already taken (a burst of segments raises
    // an event each; the read after the first event takes them all): the wait then ends with nothing there, and the real
    // read that follows waits holding its buffer for as long as the peer stays quiet. Measured: 770-850 of 1,000 echo
    // clients idle after a burst of 8 segments kept their 64 KiB buffer that way (IdleBufferTests), and one TLS client in
    // three (of 2,000) SslStream's 32 KiB one. So every wait is checked with poll(2) (no buffer, no allocation) and
    // repeated until bytes, the end of the stream or an error are really there. Even one that ended at once: that is
    // usually a 1-byte peek that found bytes, but when an event came in meanwhile the engine completes a zero-byte receive
    // at once without looking (with only the asynchronous waits checked, 1 of 1,000 echo clients still kept its buffer in
    // one run of six). netstandard2.0 (Windows PowerShell) keeps the plain wait: Windows completes a zero-byte receive
    // when data arrives, not on a readiness event.
    /// <summary>
    /// Waits until the socket has something to read, has ended or has failed, without a buffer: a zero-byte receive, which
    /// .NET turns into a readiness wait (epoll on Linux; Windows completes it when data arrives). An idle client so costs
    /// its socket and no buffer; the caller rents one once this returns, reads, and gives it back when drained.
    /// </summary>
    public static ValueTask WaitReadableAsync(Socket socket, CancellationToken ct)
    {
#if NET
        ValueTask<int> wait = socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct);
        if (!wait.IsCompletedSuccessfully) return CheckedWaitAsync(socket, wait, ct);
        return ReadableNow(socket) ? default : RecheckReadableAsync(socket, ct);
#else
        return new ValueTask(WithCancel(socket, ct, socket.ReceiveAsync(new ArraySegment<byte>(Array.Empty<byte>()), SocketFlags.None)));
#endif
    }

#if NET
    /// <summary>
    /// After a zero-byte wait (here, or SslStream's zero-byte read in TlsSocketStream) that poll(2) has not confirmed:
    /// waits again for as long as nothing is really there (see <see cref="WaitReadableAsync"/>).
    /// </summary>
    public static async ValueTask RecheckReadableAsync(Socket socket, CancellationToken ct)
    {
        while (!ReadableNow(socket))
            await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct).ConfigureAwait(false);
    }

    /// <summary>True when bytes, the end of the stream or an error are there now: poll(2), no buffer, no wait.</summary>
    public static bool ReadableNow(Socket socket) => socket.Poll(0, SelectMode.SelectRead);

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CheckedWaitAsync(Socket socket, ValueTask<int> wait, CancellationToken ct)
    {
        await wait.ConfigureAwait(false);
        await RecheckReadableAsync(socket, ct).ConfigureAwait(false);
    }
#endif

    public static async ValueTask SendAllAsync(Socket socket, byte[] buffer, int offset, int count, CancellationToken ct)
    {
        while (count > 0)
        {
#if NET
            int sent = await socket.SendAsync(buffer.AsMemory(offset, count), SocketFlags.None, ct).ConfigureAwait(false);
#else
            int sent = await WithCancel(socket, ct, socket.SendAsync(new ArraySegment<byte>(buffer, offset, count), SocketFlags.None)).ConfigureAwait(false);
#endif
            offset += sent;
            count -= sent;
        }
    }

    public static async ValueTask<(int Length, EndPoint From)> ReceiveFromAsync(Socket socket, byte[] buffer, EndPoint any, CancellationToken ct)
    {
#if NET
        SocketReceiveFromResult r = await socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, any, ct).ConfigureAwait(false);
#else
        SocketReceiveFromResult r = await WithCancel(socket, ct, socket.ReceiveFromAsync(new ArraySegment<byte>(buffer), SocketFlags.None, any)).ConfigureAwait(false);
#endif
        return (r.ReceivedBytes, r.RemoteEndPoint);
    }

    public static async ValueTask SendToAsync(Socket socket, byte[] buffer, int offset, int count, EndPoint to, CancellationToken ct)
    {
#if NET
        await socket.SendToAsync(buffer.AsMemory(offset, count), SocketFlags.None, to, ct).ConfigureAwait(false);
#else
        await WithCancel(socket, ct, socket.SendToAsync(new ArraySegment<byte>(buffer, offset, count), SocketFlags.None, to)).ConfigureAwait(false);
#endif
    }

    /// <summary>A Unix domain socket address, where the platform has them.</summary>
    public static EndPoint UnixEndPoint(string path)
    {
#if NET
        return new UnixDomainSocketEndPoint(path);
#else
        throw new NsockException(NsockErrorKind.BadInput,
            $"Unix domain sockets ('unix:{path}') need PowerShell 7 or the nsock command; this .NET cannot open them");
#endif
    }

#if !NET
    private static async Task<T> WithCancel<T>(Socket socket, CancellationToken ct, Task<T> task)
    {
        if (!ct.CanBeCanceled) return await task.ConfigureAwait(false);
        using (ct.Register(static s => ((Socket)s!).Dispose(), socket))
        {
            try
            {
                return await task.ConfigureAwait(false);
            }
            catch (ObjectDisposedException) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException(ct);
            }
        }
    }
#endif
}
