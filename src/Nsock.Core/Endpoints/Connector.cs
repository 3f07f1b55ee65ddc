using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>Opens a connected socket to an endpoint: TCP, UDP (a connected datagram socket) or Unix.</summary>
internal static class Connector
{
    /// <summary>
    /// Connects to <paramref name="endpoint"/>. A name is resolved to all its addresses and each is tried in
    /// order with <see cref="ConnectOptions.Timeout"/> per attempt; the first that answers wins.
    /// </summary>
    public static async Task<Socket> ConnectAsync(Endpoint endpoint, ConnectOptions options, CancellationToken ct)
    {
        ValidateForConnect(endpoint);
        if (endpoint.Transport == Transport.Unix) return await ConnectUnixAsync(endpoint, options, ct).ConfigureAwait(false);

        IPAddress[] addresses = await NameResolver.ResolveAsync(endpoint.Host!, options.IpVersion, options.Timeout, ct).ConfigureAwait(false);
        var failures = new List<NsockException>();
        foreach (IPAddress address in addresses)
        {
            var target = new IPEndPoint(address, endpoint.Port);
            try
            {
                return await ConnectOneAsync(target, endpoint.Transport, options.Timeout, ct).ConfigureAwait(false);
            }
            catch (NsockException e)
            {
                failures.Add(e);
            }
        }
        throw Summarize(endpoint, failures);
    }

    /// <summary>Fails with <see cref="NsockErrorKind.BadInput"/> when the endpoint cannot be connected to at all.</summary>
    public static void ValidateForConnect(Endpoint endpoint)
    {
        if (endpoint.Transport == Transport.Unix) return;
        if (endpoint.IsAnyHost) throw NsockException.BadInput($"'{endpoint}' has no host: connecting needs host:port");
        if (endpoint.Port == 0) throw NsockException.BadInput($"port 0 in '{endpoint}' can only be listened on, not connected to");
    }

    internal static async Task<Socket> ConnectOneAsync(IPEndPoint target, Transport transport, TimeSpan timeout, CancellationToken ct)
    {
        var socket = transport == Transport.Udp
            ? new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            // A UDP connect only sets the default peer, with no packet sent: done synchronously it leaves the
            // socket in blocking mode, the cheapest for the blocking send/receive loops of relays and pings.
            if (transport == Transport.Udp) socket.Connect(target);
            else await SocketIo.ConnectAsync(socket, target, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new NsockException(NsockErrorKind.TimedOut, $"connect to {Format(target)} timed out after {timeout.TotalSeconds:0.###}s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw SocketErrors.Classify(e, $"connect to {Format(target)}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Socket> ConnectUnixAsync(Endpoint endpoint, ConnectOptions options, CancellationToken ct)
    {
        string path = endpoint.UnixPath!;
        EndPoint target = SocketIo.UnixEndPoint(path);
        if (!File.Exists(path))
            throw new NsockException(NsockErrorKind.Refused, $"connect to unix:{path}: no socket file at that path");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(options.Timeout);
        try
        {
            await SocketIo.ConnectAsync(socket, target, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new NsockException(NsockErrorKind.TimedOut, $"connect to unix:{path} timed out after {options.Timeout.TotalSeconds:0.###}s");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw SocketErrors.Classify(e, $"connect to unix:{path}");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static NsockException Summarize(Endpoint endpoint, List<NsockException> failures)
    {
        if (failures.Count == 1) return failures[0];
        // Several addresses failed: keep the last one's kind (the most recent truth) and list them all.
        var last = failures[failures.Count - 1];
        return new NsockException(last.Kind, $"connect to {endpoint} failed on every address: {string.Join("; ", failures.ConvertAll(f => f.Message))}", last);
    }

    internal static string Format(IPEndPoint ep) =>
        ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : $"{ep.Address}:{ep.Port}";
}
