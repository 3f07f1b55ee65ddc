using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A forward's target connected outside .NET's event loop (LinuxConnect, ConnectOptions.OutsideEventLoop): connected,
/// blocking, TCP_NODELAY, never in an epoll interest list, and failing as a connect through .NET would.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LinuxConnectTests
{
    private static readonly ConnectOptions Outside = new() { OutsideEventLoop = true };

    private static bool NonBlocking(Socket s) =>
        (Interop.Libc.Fcntl((int)s.Handle, Interop.Libc.F_GETFL, 0) & Interop.Libc.O_NONBLOCK) != 0;

    // Every descriptor of this process that some epoll instance (.NET's, LinuxReadiness's) watches: the "tfd:" lines
    // of each eventpoll descriptor's fdinfo.
    private static HashSet<int> WatchedByEpoll()
    {
        var watched = new HashSet<int>();
        foreach (string info in Directory.GetFiles("/proc/self/fdinfo"))
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(info);
            }
            catch (IOException)
            {
                continue; // a descriptor closed meanwhile
            }
            foreach (string line in lines.Where(l => l.StartsWith("tfd:", StringComparison.Ordinal)))
                watched.Add(int.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1]));
        }
        return watched;
    }

    [LinuxFact]
    public async Task A_target_connected_outside_the_event_loop_is_blocking_with_nodelay_and_watched_by_no_epoll()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        using Socket target = await Connector.ConnectAsync(Loopback.Tcp(listener.Port()), Outside, CancellationToken.None).WaitAsync(Limits.Wait);
        using Socket peer = await accepting;
        // The control: a socket connected the usual way is in .NET's epoll, so the check below can fail.
        using Socket usual = await Connector.ConnectAsync(Loopback.Tcp(listener.Port()), new ConnectOptions(), CancellationToken.None).WaitAsync(Limits.Wait);

        HashSet<int> watched = WatchedByEpoll();
        Assert.Contains((int)usual.Handle, watched);
        Assert.DoesNotContain((int)target.Handle, watched);
        Assert.True(target.Connected);
        Assert.Equal(peer.LocalEndPoint, target.RemoteEndPoint);
        Assert.Equal(peer.RemoteEndPoint, target.LocalEndPoint);
        Assert.True(target.NoDelay);
        Assert.False(NonBlocking(target), "the socket was left non-blocking: a blocking relay loop would fail with EAGAIN");

        // Blocking both ways, end of stream included.
        byte[] payload = Payload.Bytes(1 << 20, seed: 90);
        Task<byte[]> reading = peer.ReadToEndAsync();
        Assert.Equal(payload.Length, target.Send(payload));
        target.Shutdown(SocketShutdown.Send);
        Assert.Equal(payload, await reading.WaitAsync(Limits.Wait));
        peer.Send(new byte[] { 7 });
        peer.Shutdown(SocketShutdown.Send);
        var one = new byte[2];
        Assert.Equal(1, target.Receive(one));
        Assert.Equal(0, target.Receive(one));
        Assert.DoesNotContain((int)target.Handle, WatchedByEpoll());
    }

    [Ipv6Fact]
    public async Task An_ipv6_target_is_connected_outside_the_event_loop_too()
    {
        using var listener = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
        listener.Listen(4);
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        using Socket target = await Connector.ConnectAsync(new Endpoint(Transport.Tcp, "::1", listener.Port()), Outside, CancellationToken.None).WaitAsync(Limits.Wait);
        using Socket peer = await accepting;
        Assert.Equal(peer.LocalEndPoint, target.RemoteEndPoint);
        Assert.DoesNotContain((int)target.Handle, WatchedByEpoll());
    }

    [LinuxFact]
    public async Task A_refused_target_is_refused_as_through_dotnet()
    {
        int port = Loopback.ClosedTcpPort();
        var e = await Assert.ThrowsAsync<NsockException>(() => Connector.ConnectAsync(Loopback.Tcp(port), Outside, CancellationToken.None).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.Contains("refused", e.Message);
    }

    [FullBacklogDropsSynFact]
    public async Task A_target_that_never_answers_times_out_and_a_cancel_is_a_cancel()
    {
        using Socket listener = Loopback.ListenTcp(backlog: 0);
        var endpoint = new IPEndPoint(IPAddress.Loopback, listener.Port());
        var fillers = new List<Socket>();
        try
        {
            await ConnectorErrorTests.FillBacklogAsync(endpoint, fillers);
            var e = await Assert.ThrowsAsync<NsockException>(() =>
                Connector.ConnectAsync(Loopback.Tcp(endpoint.Port), Outside with { Timeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None).WaitAsync(Limits.Wait));
            Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
            Assert.Contains("timed out after 0.5s", e.Message);

            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Connector.ConnectAsync(Loopback.Tcp(endpoint.Port), Outside with { Timeout = Limits.Wait }, cts.Token).WaitAsync(Limits.Wait));
        }
        finally
        {
            foreach (Socket s in fillers) s.Dispose();
        }
    }

    [Fact]
    public void A_plain_connect_relay_is_connected_outside_the_event_loop_and_a_tls_one_is_not()
    {
        ConnectPlan plain = new ConnectRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:9" } }.Validate(PlainOptionNames.Instance);
        Assert.True(plain.Connect.OutsideEventLoop);
        ConnectPlan tls = new ConnectRequest { Target = new ConnectTarget { Endpoint = "127.0.0.1:9", Tls = true, Insecure = true } }.Validate(PlainOptionNames.Instance);
        Assert.False(tls.Connect.OutsideEventLoop);
    }

    [Fact]
    public void A_forward_connects_its_target_outside_the_event_loop()
    {
        var plan = new ListenRequest { Endpoint = "127.0.0.1:0", ForwardTo = "127.0.0.1:9" }.Validate(PlainOptionNames.Instance);
        Assert.True(plan.Options.ForwardConnect.OutsideEventLoop);
    }
}
