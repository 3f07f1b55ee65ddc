using System;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class ListenerStatisticsTests
{
    [Fact]
    public async Task Tcp_echo_statistics_count_clients_and_bytes_exactly_while_running_and_at_the_end()
    {
        const int clients = 5;
        var options = RunningListener.Echo() with { StatisticsInterval = TimeSpan.FromMilliseconds(50) };
        RunningListener server = await RunningListener.StartAsync(options);
        byte[][] data = Enumerable.Range(0, clients).Select(i => Payload.Bytes(1000 * (i + 1) + i, seed: 300 + i)).ToArray();
        long sum = data.Sum(d => (long)d.Length);

        // One client stays connected and quiet while the others come, echo and go.
        Socket held = await Loopback.ConnectAsync(server.Endpoint);
        await server.Sink.WaitForAsync<ClientConnected>(1);
        for (int i = 0; i < clients; i++)
        {
            using Socket client = await Loopback.ConnectAsync(server.Endpoint);
            Assert.Equal(data[i], await client.RoundTripAsync(data[i]));
        }
        await server.Sink.WaitForAsync<ClientClosed>(clients);

        ListenerStatistics live = server.Listener.Statistics;
        Assert.Equal(1, live.ClientsNow);
        Assert.Equal(clients + 1, live.Clients);
        Assert.Equal(sum, live.BytesReceived);
        Assert.Equal(sum, live.BytesSent);
        Assert.Equal(0, live.Rejected);
        Assert.Equal(0, live.Errors);
        Assert.Equal(0, live.Datagrams);
        Assert.False(live.Final);
        // The listener reports them itself every interval, before it stops.
        ListenerStatistics periodic = (await server.Sink.WaitForAsync<ListenerStatistics>(1))[0];
        Assert.False(periodic.Final);
        Assert.Equal("stats", periodic.Event);

        Assert.Equal(new byte[] { 7, 8, 9 }, await held.RoundTripAsync(new byte[] { 7, 8, 9 }));
        held.Dispose();
        await server.Sink.WaitForAsync<ClientClosed>(clients + 1);
        await server.DisposeAsync();

        ListenerStatistics end = server.Listener.Statistics;
        Assert.Equal(0, end.ClientsNow);
        Assert.Equal(clients + 1, end.Clients);
        Assert.Equal(sum + 3, end.BytesReceived);
        Assert.Equal(sum + 3, end.BytesSent);
        ListenerStatistics final = server.Sink.Of<ListenerStatistics>().Single(s => s.Final);
        Assert.Equal(end with { Seconds = final.Seconds, Final = true }, final);
        Assert.Same(final, server.Sink.Of<ListenerStatistics>().Last());
    }

    [Fact]
    public async Task Udp_echo_statistics_count_datagrams_and_bytes_as_they_arrive()
    {
        RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(Transport.Udp));
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        int[] sizes = { 1, 100, 1400, 9000 };
        foreach (int size in sizes)
        {
            await client.SendAsync(Payload.Bytes(size, seed: size), SocketFlags.None);
            await ReceiveAsync(client);
        }

        // Counted before each answer went out: exact now, while the listener runs.
        ListenerStatistics live = server.Listener.Statistics;
        Assert.Equal(sizes.Length, live.Datagrams);
        Assert.Equal(sizes.Sum(), live.BytesReceived);
        Assert.Equal(0, live.Clients);

        await server.DisposeAsync();
        Assert.Equal(sizes.Sum(), server.Listener.Statistics.BytesSent);
        // No interval given: no stats events.
        Assert.Empty(server.Sink.Of<ListenerStatistics>());
    }

    [Fact]
    public async Task Statistics_count_rejected_peers_and_clients_that_ended_with_an_error()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo() with { Filter = AddressFilter.Parse(new[] { "127.0.0.1/32" }, null) });
        using (var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            stranger.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("127.0.0.2"), 0));
            try
            {
                await stranger.ConnectAsync(System.Net.IPAddress.Loopback, server.Port);
            }
            catch (SocketException)
            {
                // Refused with a reset, maybe before the connect call saw it complete: refused all the same.
            }
            await server.Sink.WaitForAsync<ClientRejected>(1);
        }
        using (Socket client = await Loopback.ConnectAsync(new Endpoint(Transport.Tcp, "127.0.0.1", server.Port)))
        {
            await client.SendAllAsync(new byte[] { 1, 2 });
            await server.Sink.WaitForAsync<ClientConnected>(1);
            client.Reset();
        }
        await server.Sink.WaitForAsync<ClientClosed>(1);

        ListenerStatistics live = server.Listener.Statistics;
        Assert.Equal(1, live.Rejected);
        Assert.Equal(1, live.Clients);
        Assert.Equal(0, live.ClientsNow);
        Assert.NotNull(server.Sink.Of<ClientClosed>().Single().Error);
        Assert.Equal(1, live.Errors);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_statistics_interval_of_zero_or_less_is_refused_naming_the_option(double seconds)
    {
        var request = new ListenRequest { Endpoint = "127.0.0.1:0", Echo = true, Statistics = true, StatisticsInterval = seconds };
        NsockException e = Assert.Throws<NsockException>(() => request.Validate(PlainOptionNames.Instance));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(PlainOptionNames.Instance.Option(NsockOption.StatisticsInterval), e.Message);
    }

    private static async Task<byte[]> ReceiveAsync(Socket client)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var buffer = new byte[65536];
        int n = await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer.AsSpan(0, n).ToArray();
    }
}
