using System;
using System.Linq;
using System.Net.Sockets;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class EchoListenerTests
{
    [Fact]
    public async Task Echo_listener_returns_every_byte_after_peer_half_closes()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo());
        byte[] data = Payload.Bytes(3 << 20, seed: 10);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        byte[] back = await client.RoundTripAsync(data);

        Assert.Equal(Payload.Sha256(data), Payload.Sha256(back));
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
        Assert.Equal(data.Length, closed.BytesReceived);
        Assert.Equal(data.Length, closed.BytesSent);
    }

    [Fact]
    public async Task Echo_listener_serves_50_concurrent_clients_each_getting_exactly_its_own_bytes()
    {
        const int clients = 50;
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo());
        var rng = new Random(11);
        byte[][] data = Enumerable.Range(0, clients).Select(i => Payload.Bytes(rng.Next(64 << 10, (1 << 20) + 1), seed: 100 + i)).ToArray();

        // Connect everyone first, so all 50 are being served at the same time.
        Socket[] sockets = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Loopback.ConnectAsync(server.Endpoint)));
        try
        {
            byte[][] back = await Task.WhenAll(sockets.Select((s, i) => Task.Run(() => s.RoundTripAsync(data[i])))).WaitAsync(Limits.Wait);
            for (int i = 0; i < clients; i++)
            {
                Assert.True(data[i].Length == back[i].Length, $"client {i} sent {data[i].Length} bytes and got {back[i].Length} back");
                Assert.Equal(Payload.Sha256(data[i]), Payload.Sha256(back[i]));
            }
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
        }

        Assert.Equal(clients, (await server.Sink.WaitForAsync<ClientConnected>(clients)).Count);
        var closed = await server.Sink.WaitForAsync<ClientClosed>(clients);
        Assert.All(closed, c => Assert.Null(c.Error));
        Assert.Equal(data.Sum(d => (long)d.Length), closed.Sum(c => c.BytesReceived));
        Assert.Equal(Enumerable.Range(1, clients).Select(i => (long)i), closed.Select(c => c.Client).OrderBy(id => id));
    }

    [Fact]
    public async Task Echo_listener_with_a_count_stops_after_that_many_clients()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo() with { Count = 2 });
        for (int i = 0; i < 2; i++)
        {
            using Socket client = await Loopback.ConnectAsync(server.Endpoint);
            Assert.Equal(new byte[] { (byte)i }, await client.RoundTripAsync(new[] { (byte)i }));
        }

        ListenerResult result = await server.FinishedAsync();
        Assert.Equal(2, result.Clients);
        Assert.Equal(0, result.Rejected);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public async Task Echo_listener_with_max_clients_1_serves_the_second_client_only_after_the_first_leaves()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo() with { MaxClients = 1 });
        using Socket first = await Loopback.ConnectAsync(server.Endpoint);
        await first.SendAllAsync(new byte[] { 1 });
        Assert.Equal(new byte[] { 1 }, await first.ReadExactlyAsync(1));

        using Socket second = await Loopback.ConnectAsync(server.Endpoint); // waits in the backlog
        Task<byte[]> secondBack = second.RoundTripAsync(new byte[] { 2 });
        await Task.Delay(Limits.Quiet);
        Assert.False(secondBack.IsCompleted, "the second client was served while the only slot was taken");

        first.Shutdown(SocketShutdown.Send);
        Assert.Empty(await first.ReadToEndAsync());
        Assert.Equal(new byte[] { 2 }, await secondBack.WaitAsync(Limits.Wait));
    }

    [Fact]
    public async Task Echo_listener_survives_a_client_that_resets_mid_transfer_and_serves_the_next()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo());

        // The first client sends a lot without reading any echo, then crashes (RST) with the echo still in flight.
        Socket crasher = await Loopback.ConnectAsync(server.Endpoint);
        await crasher.SendAllAsync(Payload.Bytes(256 << 10, seed: 12)).WaitAsync(Limits.Wait);
        crasher.Reset();

        ClientClosed crashed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.NotNull(crashed.Error);

        byte[] data = Payload.Bytes(500_000, seed: 13);
        using Socket next = await Loopback.ConnectAsync(server.Endpoint);
        Assert.Equal(Payload.Sha256(data), Payload.Sha256(await next.RoundTripAsync(data)));
        Assert.False(server.Run.IsCompleted);
    }

    [Fact]
    public async Task Echo_listener_closes_a_client_idle_longer_than_its_timeout()
    {
        var options = RunningListener.Echo() with { ClientIdleTimeout = TimeSpan.FromMilliseconds(200) };
        await using RunningListener server = await RunningListener.StartAsync(options);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        await client.SendAllAsync(new byte[] { 7 });

        Assert.Equal(new byte[] { 7 }, await client.ReadToEndAsync()); // the echo, then the server's close
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Contains("idle", closed.Error);
    }

    [Fact]
    public async Task Cancelling_an_echo_listener_stops_it_and_closes_its_clients()
    {
        RunningListener server = await RunningListener.StartAsync(RunningListener.Echo());
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        await client.SendAllAsync(new byte[] { 1 });
        Assert.Equal(new byte[] { 1 }, await client.ReadExactlyAsync(1));

        await server.DisposeAsync(); // cancels, and fails if the listener does not stop in time
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server.Run);

        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Equal("listener stopped", closed.Error);
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Listener_reports_ready_first_with_the_real_port()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo());
        Assert.NotEqual(0, server.Port);
        Assert.Equal(Transport.Tcp, server.Listener.Ready.Transport);
        Assert.Equal("127.0.0.1", server.Listener.Ready.Address);
        Assert.Equal($"tcp://127.0.0.1:{server.Port}", server.Listener.Ready.Endpoint);
        ListenerReady first = (await server.Sink.WaitForAsync<ListenerReady>()).Single();
        Assert.Equal(server.Listener.Ready, first);
    }

    // The port is held by another program's socket (no SO_REUSEADDR). Two nsock listeners on one port also collide
    // on Linux, but gVisor lets two SO_REUSEADDR sockets listen on one port, so that case is not asserted here.
    [Fact]
    public async Task Binding_a_port_that_is_already_listened_on_fails_with_a_clear_error()
    {
        using Socket occupant = Loopback.ListenTcp();
        var options = RunningListener.Echo() with { Endpoint = Loopback.Tcp(occupant.Port()) };

        var e = await Assert.ThrowsAsync<NsockException>(() => Listener.BindAsync(options, default).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("address already in use", e.Message);
        Assert.Contains($"127.0.0.1:{occupant.Port()}", e.Message);
    }
}
