using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core.Tests;

/// <summary>Loopback-only addresses and sockets for the tests; nothing here ever leaves the machine.</summary>
internal static class Loopback
{
    private static readonly Lazy<string?> s_noIpv6 = new(FindIpv6Problem);

    public static Endpoint Tcp(int port) => new(Transport.Tcp, "127.0.0.1", port);

    public static Endpoint Udp(int port) => new(Transport.Udp, "127.0.0.1", port);

    /// <summary>Null when [::1] can be bound, else why not (the reason a test is skipped).</summary>
    public static string? Ipv6Problem => s_noIpv6.Value;

    /// <summary>A loopback TCP port that nothing listens on (connections to it are refused).</summary>
    // Held open, bound but never listening, for the rest of the test run: the kernel refuses connections to it (RST),
    // and no other test's port-0 bind can be handed the same port meanwhile (a port closed right away could be, and
    // a "closed" port then answered as another test's listener).
    public static int ClosedTcpPort()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s_heldClosed.Add(s);
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static readonly System.Collections.Concurrent.ConcurrentBag<Socket> s_heldClosed = new();

    /// <summary>A loopback UDP port that nothing listens on.</summary>
    public static int ClosedUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>A raw TCP listening socket on 127.0.0.1, port 0: the peer for tests of the client side.</summary>
    public static Socket ListenTcp(int backlog = 16)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.Listen(backlog);
        return s;
    }

    public static int Port(this Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    public static async Task<Socket> AcceptBoundedAsync(this Socket listener)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        return await listener.AcceptAsync(cts.Token);
    }

    public static async Task<Socket> ConnectAsync(Endpoint endpoint)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        return await Connector.ConnectAsync(endpoint, new ConnectOptions { Timeout = Limits.Wait }, cts.Token);
    }

    /// <summary>Two ends of one loopback TCP connection: the client's, and the one a listener would have accepted.</summary>
    public static async Task<(Socket Client, Socket Served)> SocketPairAsync()
    {
        using Socket listener = ListenTcp();
        Socket client = await ConnectAsync(Tcp(listener.Port()));
        return (client, await listener.AcceptBoundedAsync());
    }

    /// <summary>A Unix socket path in the temp folder, short enough for sun_path (about 100 bytes).</summary>
    public static string UnixPath() => Path.Combine(Path.GetTempPath(), "nsock-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".sock");

    private static string? FindIpv6Problem()
    {
        if (!Socket.OSSupportsIPv6) return "the OS has no IPv6 (Socket.OSSupportsIPv6 is false)";
        try
        {
            using var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return null;
        }
        catch (SocketException e)
        {
            return $"binding [::1] failed ({e.SocketErrorCode}): no IPv6 loopback on this machine";
        }
    }
}
