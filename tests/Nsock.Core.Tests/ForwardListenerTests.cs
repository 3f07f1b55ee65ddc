using System;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// nsock forward: each client connected to the target, bytes both ways, end of stream passed on each way.
public class ForwardListenerTests
{
    private static ListenerOptions Forward(Endpoint target, Endpoint? listen = null) => new ListenRequest
    {
        Endpoint = (listen ?? Loopback.Tcp(0)).ToString(),
        ForwardTo = target.ToString(),
    }.Validate(PlainOptionNames.Instance).Options;

    [Fact]
    public async Task Forward_relays_both_ways_and_passes_each_half_close_on()
    {
        byte[] request = Payload.Bytes(1 << 20, seed: 160);
        byte[] response = Payload.Bytes(2 << 20, seed: 161);
        using Socket target = Loopback.ListenTcp();
        await using RunningListener server = await RunningListener.StartAsync(Forward(Loopback.Tcp(target.Port())));
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        // The target answers only once it has read the whole request to its end: the client's half-close must reach it.
        Task<byte[]> serving = Task.Run(async () =>
        {
            using Socket accepted = await target.AcceptBoundedAsync();
            byte[] got = await accepted.ReadToEndAsync();
            await accepted.SendAllAsync(response);
            accepted.Shutdown(SocketShutdown.Send);
            return got;
        });
        byte[] back = await client.RoundTripAsync(request);

        Assert.Equal(Payload.Sha256(request), Payload.Sha256(await serving.WaitAsync(Limits.Wait)));
        Assert.Equal(Payload.Sha256(response), Payload.Sha256(back));
        ClientForwarded forwarded = (await server.Sink.WaitForAsync<ClientForwarded>()).Single();
        Assert.Equal($"127.0.0.1:{target.Port()}", forwarded.Target);
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
        Assert.Equal(request.Length, closed.BytesReceived);
        Assert.Equal(response.Length, closed.BytesSent);
        Assert.True(closed.Seconds > 0);
    }

    // A quiet forwarded client: both copy loops wait in poll(2) holding no buffer (RelayBuffer); the idle timeout and
    // a stopping listener must still end it, closing the client and the target's connection.
    [Fact]
    public async Task An_idle_forwarded_client_is_closed_by_the_idle_timeout_and_both_ends_see_it()
    {
        using Socket target = Loopback.ListenTcp();
        ListenerOptions options = new ListenRequest { Endpoint = Loopback.Tcp(0).ToString(), ForwardTo = Loopback.Tcp(target.Port()).ToString(), ClientIdleTimeout = 1 }
            .Validate(PlainOptionNames.Instance).Options;
        await using RunningListener server = await RunningListener.StartAsync(options);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        using Socket accepted = await target.AcceptBoundedAsync();
        await client.SendAllAsync(new byte[] { 1, 2, 3 });
        Assert.Equal(3, (await accepted.ReadExactlyAsync(3).WaitAsync(Limits.Wait)).Length);

        // Then silence both ways: the forward ends it (with a close or a reset).
        await EndsAsync(client).WaitAsync(Limits.Wait);
        await EndsAsync(accepted).WaitAsync(Limits.Wait);
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Equal(3, closed.BytesReceived);
    }

    [Fact]
    public async Task Stopping_the_listener_ends_an_idle_forwarded_client()
    {
        using Socket target = Loopback.ListenTcp();
        RunningListener server = await RunningListener.StartAsync(Forward(Loopback.Tcp(target.Port())));
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        using Socket accepted = await target.AcceptBoundedAsync();
        await server.Sink.WaitForAsync<ClientForwarded>();

        await server.DisposeAsync(); // cancels the listener while both copy loops wait for bytes
        await EndsAsync(client).WaitAsync(Limits.Wait);
        await EndsAsync(accepted).WaitAsync(Limits.Wait);
    }

    // The peer closed or reset: either way the connection ended.
    private static async Task EndsAsync(Socket socket)
    {
        try
        {
            await socket.ReadToEndAsync();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }

    [Fact]
    public async Task Forward_serves_clients_at_once_each_with_its_own_target_connection()
    {
        using Socket target = Loopback.ListenTcp();
        await using RunningListener server = await RunningListener.StartAsync(Forward(Loopback.Tcp(target.Port())));
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        using Socket ta = await target.AcceptBoundedAsync();
        using Socket tb = await target.AcceptBoundedAsync();

        await a.SendAllAsync(Encoding.ASCII.GetBytes("A"));
        await b.SendAllAsync(Encoding.ASCII.GetBytes("B"));
        string first = Encoding.ASCII.GetString(await ta.ReadExactlyAsync(1)) + Encoding.ASCII.GetString(await tb.ReadExactlyAsync(1));
        Assert.True(first is "AB" or "BA", first);
        // Each target connection answers its own client.
        await ta.SendAllAsync(Encoding.ASCII.GetBytes(first[..1].ToLowerInvariant()));
        await tb.SendAllAsync(Encoding.ASCII.GetBytes(first[1..].ToLowerInvariant()));
        Assert.Equal("a", Encoding.ASCII.GetString(await a.ReadExactlyAsync(1)));
        Assert.Equal("b", Encoding.ASCII.GetString(await b.ReadExactlyAsync(1)));
    }

    [Fact]
    public async Task A_target_that_refuses_resets_the_client_and_is_reported_and_the_forward_keeps_serving()
    {
        int closedPort = Loopback.ClosedTcpPort();
        await using RunningListener server = await RunningListener.StartAsync(Forward(Loopback.Tcp(closedPort)));
        for (int i = 0; i < 2; i++) await ConnectAndReadAsync(server.Endpoint);
        var closed = await server.Sink.WaitForAsync<ClientClosed>(2);
        Assert.All(closed, c => Assert.Matches($"^target .*127.0.0.1:{closedPort}.*refused", c.Error));
        Assert.Empty(server.Sink.Of<ClientForwarded>());
    }

    [Fact]
    public async Task Forward_goes_from_a_unix_socket_to_tcp()
    {
        string path = Loopback.UnixPath();
        using Socket target = Loopback.ListenTcp();
        await using RunningListener server = await RunningListener.StartAsync(Forward(Loopback.Tcp(target.Port()), new Endpoint(Transport.Unix, null, 0, path)));
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        using Socket accepted = await target.AcceptBoundedAsync();
        await client.SendAllAsync(Encoding.ASCII.GetBytes("via unix"));
        Assert.Equal("via unix", Encoding.ASCII.GetString(await accepted.ReadExactlyAsync(8)));
    }

    [Fact]
    public async Task Forward_refuses_peers_the_deny_list_names_before_connecting_to_the_target()
    {
        using Socket target = Loopback.ListenTcp();
        ListenerOptions options = new ListenRequest { Endpoint = "127.0.0.1:0", ForwardTo = $"127.0.0.1:{target.Port()}", Deny = new[] { "127.0.0.0/8" } }
            .Validate(PlainOptionNames.Instance).Options;
        await using RunningListener server = await RunningListener.StartAsync(options);
        await ConnectAndReadAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientRejected>();
        Assert.Empty(server.Sink.Of<ClientForwarded>());
    }

    // A client the forward turns away: it gets a reset (during the connect already, on loopback, now and then) and no byte.
    private static async Task ConnectAndReadAsync(Endpoint endpoint)
    {
        try
        {
            using Socket client = await Loopback.ConnectAsync(endpoint);
            await client.ReadExactlyAsync(1);
            Assert.Fail("the turned-away client got a byte");
        }
        catch (Exception e) when (e is NsockException or SocketException or System.IO.EndOfStreamException)
        {
        }
    }

    [Theory]
    [InlineData("127.0.0.1:0", "port 0")]
    [InlineData(":80", "no host")]
    public void A_target_that_cannot_be_forwarded_to_is_refused_before_binding(string target, string why)
    {
        var e = Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", ForwardTo = target }.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public async Task Udp_forward_gives_each_client_address_a_session_of_its_own_and_ends_it_when_idle()
    {
        using var target = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        target.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        ListenerOptions options = new ListenRequest { Endpoint = "udp://127.0.0.1:0", ForwardTo = $"127.0.0.1:{target.Port()}", IdleTimeout = 0.5 }
            .Validate(PlainOptionNames.Instance).Options;
        Assert.Equal(Transport.Udp, options.ForwardTo!.Transport); // a UDP listener's target without a scheme is UDP
        await using RunningListener server = await RunningListener.StartAsync(options);
        var forward = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port);
        using var a = new UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var b = new UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));

        // The target answers every datagram upper-cased to whoever sent it: the session's own socket.
        var sources = new System.Collections.Concurrent.ConcurrentBag<string>();
        Task answering = Task.Run(async () =>
        {
            var buffer = new byte[100];
            for (int i = 0; i < 2; i++)
            {
                SocketReceiveFromResult got = await target.ReceiveFromAsync(buffer, SocketFlags.None, new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0));
                sources.Add(got.RemoteEndPoint.ToString()!);
                byte[] reply = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(buffer, 0, got.ReceivedBytes).ToUpperInvariant());
                await target.SendToAsync(reply, SocketFlags.None, got.RemoteEndPoint);
            }
        });
        await a.SendAsync(Encoding.ASCII.GetBytes("from a"), forward);
        Assert.Equal("FROM A", Encoding.ASCII.GetString((await a.ReceiveAsync().WaitAsync(Limits.Wait)).Buffer));
        await b.SendAsync(Encoding.ASCII.GetBytes("from b"), forward);
        Assert.Equal("FROM B", Encoding.ASCII.GetString((await b.ReceiveAsync().WaitAsync(Limits.Wait)).Buffer));
        await answering.WaitAsync(Limits.Wait);
        Assert.Equal(2, sources.Distinct().Count());

        // Silent for the idle timeout: both sessions end, each with its bytes each way.
        var closed = await server.Sink.WaitForAsync<ClientClosed>(2);
        Assert.All(closed, c => Assert.Equal((6L, 6L, null), (c.BytesReceived, c.BytesSent, c.Error)));
        Assert.Equal(2, server.Sink.Of<ClientForwarded>().Count);
    }
}
