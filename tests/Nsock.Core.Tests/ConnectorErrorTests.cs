using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class ConnectorErrorTests
{
    [Fact]
    public async Task Connecting_to_a_closed_port_is_refused()
    {
        int port = Loopback.ClosedTcpPort();
        var e = await Assert.ThrowsAsync<NsockException>(() => Loopback.ConnectAsync(Loopback.Tcp(port)));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
        Assert.Contains("refused", e.Message);
    }

    [Fact]
    public async Task Connecting_to_a_name_that_does_not_exist_is_name_not_found()
    {
        var e = await Assert.ThrowsAsync<NsockException>(() => Loopback.ConnectAsync(new Endpoint(Transport.Tcp, "no-such-host.invalid", 80)));
        Assert.Equal(NsockErrorKind.NameNotFound, e.Kind);
    }

    [Theory]
    [InlineData(":80", "has no host")]
    [InlineData("80", "has no host")]
    [InlineData("127.0.0.1:0", "port 0")]
    [InlineData("udp://127.0.0.1:0", "port 0")]
    public async Task Connecting_to_a_hostless_endpoint_or_port_0_is_bad_input(string text, string expected)
    {
        var e = await Assert.ThrowsAsync<NsockException>(() => Loopback.ConnectAsync(EndpointParser.Parse(text)));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Connecting_with_a_family_the_address_does_not_have_is_bad_input()
    {
        var e = await Assert.ThrowsAsync<NsockException>(() =>
            Connector.ConnectAsync(Loopback.Tcp(Loopback.ClosedTcpPort()), new ConnectOptions { IpVersion = IpVersion.V6 }, CancellationToken.None).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
    }

    // A listener whose accept queue is full makes the kernel drop new SYNs, so a connect neither succeeds nor
    // is refused: the one reliable way to make a loopback connect time out.
    [FullBacklogDropsSynFact]
    public async Task Connecting_to_a_listener_with_a_full_backlog_times_out()
    {
        using Socket listener = Loopback.ListenTcp(backlog: 0);
        var endpoint = new IPEndPoint(IPAddress.Loopback, listener.Port());
        var fillers = new List<Socket>();
        try
        {
            await FillBacklogAsync(endpoint, fillers);

            var timeout = TimeSpan.FromMilliseconds(500);
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<NsockException>(() =>
                Connector.ConnectAsync(Loopback.Tcp(endpoint.Port), new ConnectOptions { Timeout = timeout }, CancellationToken.None).WaitAsync(Limits.Wait));
            Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
            Assert.Contains("timed out after 0.5s", e.Message);
            Assert.InRange(clock.Elapsed, timeout - TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (Socket s in fillers) s.Dispose();
        }
    }

    [FullBacklogDropsSynFact]
    public async Task Cancelling_a_connect_throws_operation_cancelled_not_timed_out()
    {
        using Socket listener = Loopback.ListenTcp(backlog: 0);
        var fillers = new List<Socket>();
        try
        {
            await FillBacklogAsync(new IPEndPoint(IPAddress.Loopback, listener.Port()), fillers);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Connector.ConnectAsync(Loopback.Tcp(listener.Port()), new ConnectOptions { Timeout = Limits.Wait }, cts.Token).WaitAsync(Limits.Wait));
        }
        finally
        {
            foreach (Socket s in fillers) s.Dispose();
        }
    }

    [Fact]
    public async Task A_udp_connect_needs_no_listener_and_gives_a_connected_datagram_socket()
    {
        int port = Loopback.ClosedUdpPort();
        using Socket s = await Loopback.ConnectAsync(Loopback.Udp(port));
        Assert.Equal(SocketType.Dgram, s.SocketType);
        Assert.Equal(port, ((IPEndPoint)s.RemoteEndPoint!).Port);
    }

    [Fact]
    public async Task A_tcp_connect_gives_a_connected_socket_with_nodelay()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        using Socket s = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        using Socket peer = await accepting;
        Assert.True(s.Connected);
        Assert.True(s.NoDelay);
        Assert.Equal(peer.LocalEndPoint, s.RemoteEndPoint);
    }

    // Connects (and never accepts) until a connect does not finish quickly: the accept queue is then full.
    internal static async Task FillBacklogAsync(IPEndPoint endpoint, List<Socket> fillers)
    {
        for (int i = 0; i < 64; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(s);
            using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await s.ConnectAsync(endpoint, quick.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        Assert.Fail("the accept queue never filled up");
    }
}
