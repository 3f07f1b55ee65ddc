using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
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
        if (options.Proxy is ProxyServer proxy) return await ProxyTunnel.OpenAsync(proxy, endpoint, options, ct).ConfigureAwait(false);
        CheckSource(endpoint, options);
        if (endpoint.Transport == Transport.Unix) return await ConnectUnixAsync(endpoint, options, ct).ConfigureAwait(false);

        // A source address decides the family: only the target's addresses of that family can be reached from it.
        IPAddress[] addresses;
        try
        {
            addresses = await NameResolver.ResolveAsync(endpoint.Host!, options.Family, options.Timeout, ct).ConfigureAwait(false);
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.NameNotFound && options.SourceAddress is IPAddress from)
        {
            throw new NsockException(e.Kind, $"{e.Message} (the source {from} is {FamilyName(from.AddressFamily)}: only such addresses can be reached from it)", e);
        }
        var failures = new List<NsockException>();
        foreach (IPAddress address in addresses)
        {
            var target = new IPEndPoint(address, endpoint.Port);
            try
            {
                return await ConnectOneAsync(target, endpoint.Transport, options.Timeout, options, ct).ConfigureAwait(false);
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

    /// <summary>
    /// Fails with <see cref="NsockErrorKind.BadInput"/> when the source cannot serve this endpoint: a Unix socket has
    /// no source address, and a source of one family cannot reach a target address of the other.
    /// </summary>
    public static void CheckSource(Endpoint endpoint, ConnectOptions options)
    {
        if (!options.HasSource) return;
        // Through a proxy the source is where the connection to the proxy starts: check it against the proxy.
        if (options.Proxy is ProxyServer proxy && endpoint.Transport == Transport.Tcp)
        {
            CheckSource(proxy.Endpoint, options with { Proxy = null });
            return;
        }
        if (endpoint.Transport == Transport.Unix)
            throw NsockException.BadInput($"a source address or port applies to TCP and UDP, not to '{endpoint}'");
        if (options.SourceAddress is IPAddress from)
        {
            IpVersion family = FamilyOf(from);
            if (options.IpVersion != IpVersion.Any && options.IpVersion != family)
                throw NsockException.BadInput($"the source {from} is {FamilyName(from.AddressFamily)}, but {(options.IpVersion == IpVersion.V4 ? "-4 (IPv4 only)" : "-6 (IPv6 only)")} was given");
            if (endpoint.Host is string host && IPAddress.TryParse(host, out IPAddress? literal))
                CheckFamily(from, literal);
        }
    }

    internal static Task<Socket> ConnectOneAsync(IPEndPoint target, Transport transport, TimeSpan timeout, CancellationToken ct) =>
        ConnectOneAsync(target, transport, timeout, null, ct);

    /// <summary>One connect to one address, from <paramref name="source"/>'s source address and port when it names them.</summary>
    internal static async Task<Socket> ConnectOneAsync(IPEndPoint target, Transport transport, TimeSpan timeout, ConnectOptions? source, CancellationToken ct)
    {
        if (source?.SourceAddress is IPAddress from) CheckFamily(from, target.Address);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        Socket? socket = null;
        try
        {
#if NET
            if (transport == Transport.Tcp && source is { OutsideEventLoop: true, HasSource: false } && OperatingSystem.IsLinux() && LinuxConnect.Available)
                return await LinuxConnect.ConnectAsync(target, cts.Token).ConfigureAwait(false);
#endif
            socket = transport == Transport.Udp
                ? new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
                : new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (source is { HasSource: true }) BindSource(socket, source, target.AddressFamily);
            // A UDP connect only sets the default peer, with no packet sent: done synchronously it leaves the
            // socket in blocking mode, the cheapest for the blocking send/receive loops of relays and pings.
            if (transport == Transport.Udp) socket.Connect(target);
            else await SocketIo.ConnectAsync(socket, target, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new NsockException(NsockErrorKind.TimedOut, $"connect to {Format(target)} timed out after {timeout.TotalSeconds:0.###}s");
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            throw SocketErrors.Classify(e, $"connect to {Format(target)}");
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Binds <paramref name="socket"/> to the source before it connects (firewall rules often name the source port).
    /// A port given gets SO_REUSEADDR, so a rerun binds it again while the last connection from it sits in TIME_WAIT
    /// (.NET on Unix already sets it on every TCP socket; saying it here covers UDP and says what we rely on; .NET adds
    /// SO_REUSEPORT with it, harmless for a connecting socket, whose four-tuple stays unique). Not on Windows, where
    /// SO_REUSEADDR would let the bind take a port another socket is using, and TIME_WAIT does not block a bind anyway.
    /// </summary>
    internal static void BindSource(Socket socket, ConnectOptions source, AddressFamily family)
    {
        IPAddress address = source.SourceAddress ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any);
        var local = new IPEndPoint(address, source.SourcePort);
        try
        {
            if (source.SourcePort != 0 && !RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(local);
        }
        catch (SocketException e)
        {
            throw e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable => new NsockException(NsockErrorKind.BadInput, $"source {Format(local)}: not an address of this machine", e),
                SocketError.AddressAlreadyInUse => new NsockException(NsockErrorKind.Io, $"source {Format(local)}: the port is in use (by a listener, or by a connection to this same peer)", e),
                SocketError.AccessDenied => new NsockException(NsockErrorKind.Io, $"source {Format(local)}: permission denied (ports below 1024 need privileges)", e),
                _ => SocketErrors.Classify(e, $"binding the source {Format(local)}"),
            };
        }
    }

    private static void CheckFamily(IPAddress from, IPAddress target)
    {
        if (from.AddressFamily != target.AddressFamily)
            throw NsockException.BadInput($"the source {from} is {FamilyName(from.AddressFamily)} but the target {target} is {FamilyName(target.AddressFamily)}: connect from an address of the target's family");
    }

    private static IpVersion FamilyOf(IPAddress a) => a.AddressFamily == AddressFamily.InterNetworkV6 ? IpVersion.V6 : IpVersion.V4;

    private static string FamilyName(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

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
