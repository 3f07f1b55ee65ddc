using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// nc -l: one client relayed to input/output, or with keep-open (ncat -k) input broadcast to every client.
public class RelayListenerTests
{
    private static ListenerOptions Relay(bool keepOpen = false) =>
        new() { Endpoint = Loopback.Tcp(0), Mode = ListenerMode.Relay, KeepOpen = keepOpen };

    [Fact]
    public async Task Relay_listener_relays_one_client_both_ways_with_half_close_and_then_stops()
    {
        byte[] fromListener = Payload.Bytes(1 << 20, seed: 40);
        byte[] fromClient = Payload.Bytes(1 << 20, seed: 41);
        using var output = new HashingStream();
        await using RunningListener server = await RunningListener.StartAsync(Relay(), new MemoryStream(fromListener), output);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        byte[] got = await client.RoundTripAsync(fromClient);
        ListenerResult result = await server.FinishedAsync();

        Assert.Equal(Payload.Sha256(fromListener), Payload.Sha256(got));
        Assert.Equal(Payload.Sha256(fromClient), output.Sha256());
        Assert.True(result.Succeeded);
        Assert.Equal(1, result.Clients);
        Assert.Equal(fromClient.Length, result.BytesReceived);
        Assert.Equal(fromListener.Length, result.BytesSent);
        Assert.Equal(RelayEnd.Completed, result.Relay?.End);
        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
    }

    [Fact]
    public async Task Relay_listener_takes_no_second_client_while_it_serves_the_first()
    {
        using var input = new BlockingInputStream();
        await using RunningListener server = await RunningListener.StartAsync(Relay(), input, null);
        using Socket first = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>();

        var e = await Assert.ThrowsAsync<NsockException>(() => Loopback.ConnectAsync(server.Endpoint));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        input.Complete();
    }

    [Fact]
    public async Task Relay_listener_reports_a_failed_relay_when_its_client_resets()
    {
        using var input = new BlockingInputStream();
        await using RunningListener server = await RunningListener.StartAsync(Relay(), input, null);
        Socket client = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>();
        await client.SendAllAsync(new byte[100]);
        client.Reset();

        ListenerResult result = await server.FinishedAsync();
        input.Complete();
        Assert.False(result.Succeeded);
        Assert.Equal(RelayEnd.Failed, result.Relay?.End);
        Assert.NotNull((await server.Sink.WaitForAsync<ClientClosed>()).Single().Error);
    }

    [Fact]
    public async Task Keep_open_relay_listener_broadcasts_input_to_every_connected_client_and_collects_what_they_send()
    {
        using var input = new BlockingInputStream();
        using var output = new HashingStream();
        await using RunningListener server = await RunningListener.StartAsync(Relay(keepOpen: true), input, output);
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);

        // Each client's byte reaching the output proves the listener is serving both.
        await a.SendAllAsync(new byte[] { (byte)'a' });
        await b.SendAllAsync(new byte[] { (byte)'b' });
        await WaitForAsync(() => output.Written >= 2);

        input.Add(Encoding.ASCII.GetBytes("to everyone"));
        Assert.Equal("to everyone", Encoding.ASCII.GetString(await a.ReadExactlyAsync(11)));
        Assert.Equal("to everyone", Encoding.ASCII.GetString(await b.ReadExactlyAsync(11)));
        input.Complete();
    }

    [Fact]
    public async Task Keep_open_relay_listener_survives_a_client_that_resets_and_serves_the_next()
    {
        using var output = new HashingStream();
        await using RunningListener server = await RunningListener.StartAsync(Relay(keepOpen: true), null, output);
        Socket crasher = await Loopback.ConnectAsync(server.Endpoint);
        await crasher.SendAllAsync(new byte[] { 1 });
        await WaitForAsync(() => output.Written >= 1);
        crasher.Reset();
        Assert.NotNull((await server.Sink.WaitForAsync<ClientClosed>()).Single().Error);

        using Socket next = await Loopback.ConnectAsync(server.Endpoint);
        byte[] data = Payload.Bytes(100_000, seed: 42);
        await next.SendAllAsync(data);
        next.Shutdown(SocketShutdown.Send);
        await server.Sink.WaitForAsync<ClientClosed>(2);
        Assert.Equal(1 + data.Length, output.Written);
        Assert.False(server.Run.IsCompleted);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Limits.Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition never became true");
            await Task.Delay(10);
        }
    }
}
