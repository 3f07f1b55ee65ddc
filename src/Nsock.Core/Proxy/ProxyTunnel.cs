using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Opens a TCP connection to a target through a proxy: connects to the proxy (its name resolved here), asks it
/// for the target (the target's name is sent as it is, for the proxy to resolve: remote DNS) and returns the
/// socket once the proxy says the tunnel is up. From then on the socket carries the target's bytes only, so
/// everything built on a connected socket (relays, zero-copy file sends, TLS) works through it unchanged.
/// </summary>
internal static class ProxyTunnel
{
    /// <summary>The key in <see cref="Exception.Data"/> marking a failure the proxy reported about the target (refused, unreachable), not about itself.</summary>
    private const string TargetFaultKey = "nsock.proxy.target";

    public static async Task<Socket> OpenAsync(ProxyServer proxy, Endpoint target, ConnectOptions options, CancellationToken ct)
    {
        if (target.Transport != Transport.Tcp)
            throw NsockException.BadInput($"a proxy carries TCP only, not '{target}'");
        Socket socket;
        try
        {
            socket = await Connector.ConnectAsync(proxy.Endpoint, options with { Proxy = null }, ct).ConfigureAwait(false);
        }
        catch (NsockException e)
        {
            throw new NsockException(e.Kind, $"proxy {proxy}: {e.Message}", e);
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(options.Timeout);
        try
        {
            if (proxy.Kind == ProxyKind.Socks5) await Socks5Handshake.RunAsync(socket, proxy, target.Host!, target.Port, cts.Token).ConfigureAwait(false);
            else await HttpConnectHandshake.RunAsync(socket, proxy, target.Host!, target.Port, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new NsockException(NsockErrorKind.TimedOut, $"proxy {proxy}: no answer to the request for {ConnectTarget.Join(target.Host, target.Port)} within {options.Timeout.TotalSeconds:0.###}s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw SocketErrors.Classify(e, $"proxy {proxy}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A failure the proxy reported about the target: the target refused, was unreachable or timed out.</summary>
    internal static NsockException TargetFault(NsockErrorKind kind, string message)
    {
        var e = new NsockException(kind, message);
        e.Data[TargetFaultKey] = true;
        return e;
    }

    /// <summary>True when the proxy itself worked and reported that the target could not be reached (a probe's closed or filtered port).</summary>
    internal static bool IsTargetFault(NsockException e) => e.Data.Contains(TargetFaultKey);

    /// <summary>Reads exactly <paramref name="count"/> bytes; the proxy closing first is an error naming <paramref name="what"/>.</summary>
    internal static async Task ReadExactlyAsync(Socket socket, byte[] buffer, int count, ProxyServer proxy, string what, CancellationToken ct)
    {
        int got = 0;
        while (got < count)
        {
            int n = await SocketIo.ReceiveAsync(socket, buffer, got, count - got, ct).ConfigureAwait(false);
            if (n == 0) throw new NsockException(NsockErrorKind.Io, $"proxy {proxy} closed the connection before {what}");
            got += n;
        }
    }
}
