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

    /// <summary>
    /// Waits until the socket has something to read (or the peer closed) without a buffer: a zero-byte receive, which
    /// .NET turns into a readiness wait (epoll on Linux; Windows completes it when data arrives). An idle client so
    /// costs its socket and no buffer; the caller rents one once this returns, reads, and gives it back when drained.
    /// </summary>
    public static ValueTask<int> WaitReadableAsync(Socket socket, CancellationToken ct)
    {
#if NET
        return socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, ct);
#else
        return new ValueTask<int>(WithCancel(socket, ct, socket.ReceiveAsync(new ArraySegment<byte>(Array.Empty<byte>()), SocketFlags.None)));
#endif
    }

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
