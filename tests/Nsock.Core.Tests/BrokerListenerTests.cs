using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// ncat --broker: what a client sends goes to every other client (never back to itself) and to the output; the
// listener's input goes to every client; a client that stops reading is dropped, the others go on.
public class BrokerListenerTests
{
    private static ListenerOptions Broker(Endpoint? endpoint = null) =>
        new() { Endpoint = endpoint ?? Loopback.Tcp(0), Mode = ListenerMode.Broker, KeepOpen = true };

    [Fact]
    public async Task Broker_sends_what_a_client_says_to_every_other_client_and_the_output_but_not_back()
    {
        var output = new MemoryStream();
        await using RunningListener server = await RunningListener.StartAsync(Broker(), null, Stream.Synchronized(output));
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        using Socket c = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(3);

        await a.SendAllAsync(Encoding.ASCII.GetBytes("from-a\n"));
        Assert.Equal("from-a\n", Encoding.ASCII.GetString(await b.ReadExactlyAsync(7)));
        Assert.Equal("from-a\n", Encoding.ASCII.GetString(await c.ReadExactlyAsync(7)));
        await b.SendAllAsync(Encoding.ASCII.GetBytes("from-b\n"));
        // a's first bytes are b's: its own line never came back to it.
        Assert.Equal("from-b\n", Encoding.ASCII.GetString(await a.ReadExactlyAsync(7)));
        Assert.Equal("from-b\n", Encoding.ASCII.GetString(await c.ReadExactlyAsync(7)));

        a.Shutdown(SocketShutdown.Send);
        await server.Sink.WaitForAsync<ClientClosed>(1);
        Assert.Equal("from-a\nfrom-b\n", Encoding.ASCII.GetString(output.ToArray()));
        ClientClosed closedA = server.Sink.Of<ClientClosed>().Single();
        Assert.Equal(7, closedA.BytesReceived);
        Assert.Equal(7, closedA.BytesSent);
    }

    [Fact]
    public async Task Broker_sends_the_listener_input_to_every_client()
    {
        using var input = new BlockingInputStream();
        await using RunningListener server = await RunningListener.StartAsync(Broker(), input, null);
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(2);

        input.Add(Encoding.ASCII.GetBytes("hello all\n"));
        Assert.Equal("hello all\n", Encoding.ASCII.GetString(await a.ReadExactlyAsync(10)));
        Assert.Equal("hello all\n", Encoding.ASCII.GetString(await b.ReadExactlyAsync(10)));
        input.Complete();
    }

    // The keep-open relay and the broker share this: a client is in the room before its `connected` event, so input
    // written at that moment reaches it. The test holds the listener inside the event (the accept loop waits) while
    // the input thread hands the line out: before the fix the newcomer joined only after, and missed it.
    [Theory]
    [InlineData(ListenerMode.Broker)]
    [InlineData(ListenerMode.Relay)]
    public async Task A_client_hears_input_written_as_soon_as_it_is_reported_connected(ListenerMode mode)
    {
        using var input = new BlockingInputStream();
        var options = new ListenerOptions { Endpoint = Loopback.Tcp(0), Mode = mode, KeepOpen = true };
        await using RunningListener server = await RunningListener.StartAsync(options, input, null);
        using Socket first = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(1);
        input.Add(Encoding.ASCII.GetBytes("one\n"));
        Assert.Equal("one\n", Encoding.ASCII.GetString(await first.ReadExactlyAsync(4)));

        server.Sink.OnEmit = e =>
        {
            if (e is not ClientConnected { Client: 2 }) return;
            input.Add(Encoding.ASCII.GetBytes("two\n"));
            System.Threading.Thread.Sleep(300); // the input thread queues "two" while the listener is still here
        };
        using Socket second = await Loopback.ConnectAsync(server.Endpoint);
        Assert.Equal("two\n", Encoding.ASCII.GetString(await second.ReadExactlyAsync(4)));
        Assert.Equal("two\n", Encoding.ASCII.GetString(await first.ReadExactlyAsync(4)));
        input.Complete();
    }

    [Fact]
    public async Task Broker_drops_a_client_that_stops_reading_and_the_others_get_every_byte()
    {
        const int total = 48 * 1024 * 1024;
        byte[] payload = Payload.Bytes(total, seed: 150);
        await using RunningListener server = await RunningListener.StartAsync(Broker(), null, null);
        using var stalled = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
        using Socket reader = await Loopback.ConnectAsync(server.Endpoint);
        using Socket sender = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(3);

        Task<byte[]> reading = reader.ReadExactlyAsync(total);
        await sender.SendAllAsync(payload);
        byte[] got = await reading;

        Assert.Equal(Payload.Sha256(payload), Payload.Sha256(got));
        ClientDropped dropped = (await server.Sink.WaitForAsync<ClientDropped>()).Single();
        Assert.Equal(1, dropped.Client);
        Assert.Contains("not reading", dropped.Reason);
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single(c => c.Client == 1);
        Assert.Equal(dropped.Reason, closed.Error);
        // The stalled client took at most the bound and what the kernel buffers hold, far from everything.
        Assert.True(closed.BytesSent < total / 2, $"{closed.BytesSent} bytes went to the stalled client");
    }

    [Fact]
    public async Task Broker_sends_the_chunks_queued_for_a_reader_that_paused_in_order_and_whole()
    {
        // 9000 small messages sent one by one, 900 KB in all (under the 1 MiB bound): b reads nothing until a is done,
        // so many chunks queue for it and go out gathered several to a send; every byte must arrive in order.
        byte[] all = Payload.Bytes(900_000, seed: 152);
        await using RunningListener server = await RunningListener.StartAsync(Broker());
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(2);
        a.NoDelay = true;
        for (int offset = 0; offset < all.Length; offset += 100) await a.SendAllAsync(all.AsMemory(offset, 100));

        byte[] got = await b.ReadExactlyAsync(all.Length);
        Assert.Equal(Payload.Sha256(all), Payload.Sha256(got));
        b.Shutdown(SocketShutdown.Send);
        ClientClosed closedB = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Equal((0L, (long)all.Length, (string?)null), (closedB.BytesReceived, closedB.BytesSent, closedB.Error));
        Assert.Empty(server.Sink.Of<ClientDropped>());
    }

    [Fact]
    public async Task Broker_relays_between_unix_socket_clients()
    {
        string path = Loopback.UnixPath();
        await using RunningListener server = await RunningListener.StartAsync(Broker(new Endpoint(Transport.Unix, null, 0, path)), null, null);
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(2);
        await a.SendAllAsync(Encoding.ASCII.GetBytes("over unix"));
        Assert.Equal("over unix", Encoding.ASCII.GetString(await b.ReadExactlyAsync(9)));
    }

    [Fact]
    public void Broker_and_chat_refuse_udp_and_each_other()
    {
        var e = Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", Udp = true, Broker = true }.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("udp", e.Message);
        e = Assert.Throws<NsockException>(() => new ListenRequest { Endpoint = "0", Broker = true, Chat = true }.Validate(PlainOptionNames.Instance));
        Assert.Contains("exclude each other", e.Message);
        ListenerOptions o = new ListenRequest { Endpoint = "0", Chat = true }.Validate(PlainOptionNames.Instance).Options;
        Assert.Equal(ListenerMode.Chat, o.Mode);
        Assert.True(o.KeepOpen);
    }

    [Ipv6LoopbackFact]
    public async Task Broker_relays_between_ipv6_clients()
    {
        await using RunningListener server = await RunningListener.StartAsync(Broker(new Endpoint(Transport.Tcp, "::1", 0)));
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(2);
        await a.SendAllAsync(Encoding.ASCII.GetBytes("over v6"));
        Assert.Equal("over v6", Encoding.ASCII.GetString(await b.ReadExactlyAsync(7)));
    }

    [Fact]
    public async Task Broker_keeps_to_deny_and_max_clients()
    {
        ListenerOptions options = new ListenRequest { Endpoint = "127.0.0.1:0", Broker = true, MaxClients = 1, Deny = new[] { "127.0.0.2" } }
            .Validate(PlainOptionNames.Instance).Options;
        await using RunningListener server = await RunningListener.StartAsync(options);
        using (var denied = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            denied.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 0));
            try { await denied.ConnectAsync(System.Net.IPAddress.Loopback, server.Port); } catch (SocketException) { }
            ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
            Assert.StartsWith("127.0.0.2:", rejected.Remote);
        }
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(1);
        // A second client waits in the backlog while the one slot is taken: it is served once the slot frees.
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);
        await a.SendAllAsync(Encoding.ASCII.GetBytes("x"));
        Assert.Single(server.Sink.Of<ClientConnected>());
        a.Dispose();
        await server.Sink.WaitForAsync<ClientConnected>(2);
        Assert.DoesNotContain(server.Sink.Of<ClientConnected>(), c => c.Remote.StartsWith("127.0.0.2:", StringComparison.Ordinal));
    }
}
