using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// nsock forward between datagrams and streams: udp:// to tcp:// or unix: (a stream per client address) and back
// (a UDP socket per stream client), as socat UDP-RECVFROM,fork TCP:... and TCP-LISTEN,fork UDP:... do.
public class ForwardMixedTransportTests
{
    private static ListenerOptions Forward(string listen, string target, double? timeout = null, int? maxClients = null) => new ListenRequest
    {
        Endpoint = listen,
        ForwardTo = target,
        IdleTimeout = timeout,
        MaxClients = maxClients,
    }.Validate(PlainOptionNames.Instance).Options;

    private static Socket UdpSocket()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return s;
    }

    private static async Task<(byte[] Data, EndPoint From)> ReceiveDatagramAsync(Socket udp)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var buffer = new byte[65536];
        SocketReceiveFromResult r = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
        return (buffer.AsSpan(0, r.ReceivedBytes).ToArray(), r.RemoteEndPoint);
    }

    [Fact]
    public async Task Udp_to_tcp_writes_each_datagram_to_a_stream_of_its_address_and_cuts_the_answer_into_datagrams_of_at_most_8192_bytes()
    {
        using Socket target = Loopback.ListenTcp();
        await using RunningListener server = await RunningListener.StartAsync(Forward("udp://127.0.0.1:0", $"tcp://127.0.0.1:{target.Port()}"));
        var forward = new IPEndPoint(IPAddress.Loopback, server.Port);
        using Socket a = UdpSocket();
        using Socket b = UdpSocket();

        await a.SendToAsync(Encoding.ASCII.GetBytes("hello "), SocketFlags.None, forward);
        using Socket ta = await target.AcceptBoundedAsync();
        await a.SendToAsync(Encoding.ASCII.GetBytes("world"), SocketFlags.None, forward);
        // Raw bytes, no framing: the two datagrams arrive as one stream.
        Assert.Equal("hello world", Encoding.ASCII.GetString(await ta.ReadExactlyAsync(11)));

        // Another address is another connection.
        await b.SendToAsync(Encoding.ASCII.GetBytes("from b"), SocketFlags.None, forward);
        using Socket tb = await target.AcceptBoundedAsync();
        Assert.Equal("from b", Encoding.ASCII.GetString(await tb.ReadExactlyAsync(6)));

        // 20000 bytes from the target reach a (and only a) in order, in datagrams of at most 8192 bytes.
        byte[] answer = Payload.Bytes(20_000, seed: 150);
        await ta.SendAllAsync(answer);
        var got = new List<byte>();
        var sizes = new List<int>();
        while (got.Count < answer.Length)
        {
            (byte[] data, EndPoint from) = await ReceiveDatagramAsync(a);
            Assert.Equal(forward, from);
            sizes.Add(data.Length);
            got.AddRange(data);
        }
        Assert.Equal(Payload.Sha256(answer), Payload.Sha256(got.ToArray()));
        Assert.All(sizes, n => Assert.InRange(n, 1, 8192));
        Assert.True(sizes.Count >= 3, $"20000 bytes in {sizes.Count} datagrams");

        // The target ends a's stream: a's session ends with its bytes each way; b's goes on.
        ta.Shutdown(SocketShutdown.Send);
        Assert.Empty(await ta.ReadToEndAsync()); // and its connection is closed from the forward's side too
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Equal((11L, 20_000L, (string?)null), (closed.BytesReceived, closed.BytesSent, closed.Error));
        await b.SendToAsync(Encoding.ASCII.GetBytes("!"), SocketFlags.None, forward);
        Assert.Equal("!", Encoding.ASCII.GetString(await tb.ReadExactlyAsync(1)));
        Assert.Equal(2, server.Sink.Of<ClientForwarded>().Count);
    }

    [Fact]
    public async Task Udp_to_tcp_session_quiet_for_the_timeout_closes_its_stream_and_a_later_datagram_opens_a_new_one()
    {
        using Socket target = Loopback.ListenTcp();
        await using RunningListener server = await RunningListener.StartAsync(Forward("udp://127.0.0.1:0", $"tcp://127.0.0.1:{target.Port()}", timeout: 0.5));
        var forward = new IPEndPoint(IPAddress.Loopback, server.Port);
        using Socket a = UdpSocket();

        await a.SendToAsync(Encoding.ASCII.GetBytes("one"), SocketFlags.None, forward);
        using Socket first = await target.AcceptBoundedAsync();
        // Nothing more either way: the forward closes the stream (a FIN after the bytes).
        Assert.Equal("one", Encoding.ASCII.GetString(await first.ReadToEndAsync()));
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Equal((3L, 0L, (string?)null), (closed.BytesReceived, closed.BytesSent, closed.Error));

        await a.SendToAsync(Encoding.ASCII.GetBytes("two"), SocketFlags.None, forward);
        using Socket second = await target.AcceptBoundedAsync();
        Assert.Equal("two", Encoding.ASCII.GetString(await second.ReadExactlyAsync(3)));
    }

    [Fact]
    public async Task Udp_to_unix_forward_reaches_a_unix_socket_target()
    {
        string path = Loopback.UnixPath();
        using var target = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        target.Bind(new UnixDomainSocketEndPoint(path));
        target.Listen(4);
        try
        {
            await using RunningListener server = await RunningListener.StartAsync(Forward("udp://127.0.0.1:0", "unix:" + path));
            var forward = new IPEndPoint(IPAddress.Loopback, server.Port);
            using Socket a = UdpSocket();
            await a.SendToAsync(Encoding.ASCII.GetBytes("ping"), SocketFlags.None, forward);
            using Socket t = await target.AcceptBoundedAsync();
            Assert.Equal("ping", Encoding.ASCII.GetString(await t.ReadExactlyAsync(4)));
            await t.SendAllAsync(Encoding.ASCII.GetBytes("pong"));
            Assert.Equal("pong", Encoding.ASCII.GetString((await ReceiveDatagramAsync(a)).Data));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task Udp_to_tcp_keeps_to_max_clients_sessions_and_reports_the_address_turned_away()
    {
        using Socket target = Loopback.ListenTcp();
        await using RunningListener server = await RunningListener.StartAsync(Forward("udp://127.0.0.1:0", $"tcp://127.0.0.1:{target.Port()}", maxClients: 1));
        var forward = new IPEndPoint(IPAddress.Loopback, server.Port);
        using Socket a = UdpSocket();
        using Socket b = UdpSocket();
        await a.SendToAsync(Encoding.ASCII.GetBytes("a"), SocketFlags.None, forward);
        using Socket ta = await target.AcceptBoundedAsync();
        Assert.Equal("a", Encoding.ASCII.GetString(await ta.ReadExactlyAsync(1)));

        await b.SendToAsync(Encoding.ASCII.GetBytes("b"), SocketFlags.None, forward);
        ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
        Assert.Contains("--max-clients", rejected.Reason);
        Assert.Equal(b.LocalEndPoint!.ToString(), rejected.Remote);
        Assert.Single(server.Sink.Of<ClientForwarded>());
    }

    [Fact]
    public async Task Tcp_to_udp_sends_each_read_as_a_datagram_of_at_most_8192_bytes_and_writes_replies_back_after_the_clients_half_close()
    {
        using Socket target = UdpSocket();
        await using RunningListener server = await RunningListener.StartAsync(Forward("127.0.0.1:0", $"udp://127.0.0.1:{target.Port()}", timeout: 2));
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        // The client sends 20000 bytes and half-closes at once; the target answers each datagram with its length.
        byte[] request = Payload.Bytes(20_000, seed: 151);
        Task<byte[]> reading = client.ReadToEndAsync();
        await client.SendAllAsync(request);
        client.Shutdown(SocketShutdown.Send);
        var got = new List<byte>();
        var replies = new StringBuilder();
        EndPoint? source = null;
        while (got.Count < request.Length)
        {
            (byte[] data, EndPoint from) = await ReceiveDatagramAsync(target);
            Assert.InRange(data.Length, 1, 8192);
            source ??= from;
            Assert.Equal(source, from); // one socket per client
            got.AddRange(data);
            string reply = $"[{data.Length}]";
            replies.Append(reply);
            await target.SendToAsync(Encoding.ASCII.GetBytes(reply), SocketFlags.None, from);
        }
        Assert.Equal(Payload.Sha256(request), Payload.Sha256(got.ToArray()));

        // The replies (sent after the half-close) all reach the client, then its stream ends (a FIN, not a reset).
        byte[] back = await reading.WaitAsync(Limits.Wait);
        Assert.Equal(replies.ToString(), Encoding.ASCII.GetString(back));
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Equal((20_000L, (long)back.Length, (string?)null), (closed.BytesReceived, closed.BytesSent, closed.Error));
        Assert.Contains(server.Sink.Of<ClientForwarded>(), f => f.Target == $"127.0.0.1:{target.Port()}");
    }

    [Fact]
    public async Task Tcp_to_udp_gives_each_client_its_own_udp_socket()
    {
        using Socket target = UdpSocket();
        await using RunningListener server = await RunningListener.StartAsync(Forward("127.0.0.1:0", $"udp://127.0.0.1:{target.Port()}"));
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        await a.SendAllAsync(Encoding.ASCII.GetBytes("a"));
        (byte[] da, EndPoint fa) = await ReceiveDatagramAsync(target);
        await b.SendAllAsync(Encoding.ASCII.GetBytes("b"));
        (byte[] db, EndPoint fb) = await ReceiveDatagramAsync(target);
        Assert.Equal(("a", "b"), (Encoding.ASCII.GetString(da), Encoding.ASCII.GetString(db)));
        Assert.NotEqual(fa, fb);
        await target.SendToAsync(Encoding.ASCII.GetBytes("to b"), SocketFlags.None, fb);
        await target.SendToAsync(Encoding.ASCII.GetBytes("to a"), SocketFlags.None, fa);
        Assert.Equal("to a", Encoding.ASCII.GetString(await a.ReadExactlyAsync(4)));
        Assert.Equal("to b", Encoding.ASCII.GetString(await b.ReadExactlyAsync(4)));
    }

    [Fact]
    public async Task Tcp_to_a_udp_port_nobody_listens_on_resets_the_client_and_says_refused()
    {
        int closedPort = Loopback.ClosedUdpPort();
        await using RunningListener server = await RunningListener.StartAsync(Forward("127.0.0.1:0", $"udp://127.0.0.1:{closedPort}"));
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        // The first datagram draws the port-unreachable; the next send or receive learns it.
        for (int i = 0; i < 3 && server.Sink.Of<ClientClosed>().Count == 0; i++)
        {
            try { await client.SendAllAsync(Encoding.ASCII.GetBytes("anyone?")); } catch (SocketException) { break; }
            await Task.Delay(Limits.Quiet);
        }
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Contains("refused", closed.Error);
        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var cts = new CancellationTokenSource(Limits.Wait);
            var buffer = new byte[16];
            while (await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0) { }
            throw new SocketException((int)SocketError.Success); // ended with a FIN instead of the reset
        });
    }

    [Fact]
    public async Task Tcp_to_udp_client_that_resets_ends_its_session_and_the_forward_goes_on()
    {
        using Socket target = UdpSocket();
        await using RunningListener server = await RunningListener.StartAsync(Forward("127.0.0.1:0", $"udp://127.0.0.1:{target.Port()}"));
        using (Socket client = await Loopback.ConnectAsync(server.Endpoint))
        {
            await client.SendAllAsync(Encoding.ASCII.GetBytes("x"));
            await ReceiveDatagramAsync(target);
            client.Reset();
        }
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Equal(1, closed.BytesReceived);
        using Socket next = await Loopback.ConnectAsync(server.Endpoint);
        await next.SendAllAsync(Encoding.ASCII.GetBytes("y"));
        Assert.Equal("y", Encoding.ASCII.GetString((await ReceiveDatagramAsync(target)).Data));
    }

    [Fact]
    public async Task Unix_to_udp_forward_relays_both_ways()
    {
        using Socket target = UdpSocket();
        string path = Loopback.UnixPath();
        await using RunningListener server = await RunningListener.StartAsync(Forward("unix:" + path, $"udp://127.0.0.1:{target.Port()}"));
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
        await client.SendAllAsync(Encoding.ASCII.GetBytes("ping"));
        (byte[] data, EndPoint from) = await ReceiveDatagramAsync(target);
        Assert.Equal("ping", Encoding.ASCII.GetString(data));
        await target.SendToAsync(Encoding.ASCII.GetBytes("pong"), SocketFlags.None, from);
        Assert.Equal("pong", Encoding.ASCII.GetString(await client.ReadExactlyAsync(4)));
    }
}
