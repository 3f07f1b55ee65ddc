using System;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class UdpListenerTests
{
    [Fact]
    public async Task Udp_echo_answers_each_datagram_to_its_sender_whole()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(Transport.Udp));
        Assert.Equal(Transport.Udp, server.Listener.Ready.Transport);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        foreach (int size in new[] { 1, 5, 1400, 9000, 65507 })
        {
            byte[] datagram = Payload.Bytes(size, seed: size);
            Assert.Equal(datagram, await ExchangeAsync(client, datagram));
        }
    }

    [Fact]
    public async Task Udp_echo_answers_an_empty_datagram_with_an_empty_datagram()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(Transport.Udp) with { ReportDatagrams = true });
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        Assert.Empty(await ExchangeAsync(client, Array.Empty<byte>()));
        Assert.Equal(Encoding.ASCII.GetBytes("after"), await ExchangeAsync(client, Encoding.ASCII.GetBytes("after")));
        var seen = await server.Sink.WaitForAsync<DatagramReceived>(2);
        Assert.Equal(new[] { 0, 5 }, seen.Select(d => d.Bytes));
    }

    [Fact]
    public async Task Udp_echo_keeps_clients_apart()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(Transport.Udp));
        using Socket a = await Loopback.ConnectAsync(server.Endpoint);
        using Socket b = await Loopback.ConnectAsync(server.Endpoint);

        await a.SendAsync(Encoding.ASCII.GetBytes("from a"), SocketFlags.None);
        await b.SendAsync(Encoding.ASCII.GetBytes("from b"), SocketFlags.None);

        Assert.Equal("from a", Encoding.ASCII.GetString(await ReceiveAsync(a)));
        Assert.Equal("from b", Encoding.ASCII.GetString(await ReceiveAsync(b)));
    }

    [Fact]
    public async Task Udp_listener_with_a_count_stops_after_that_many_datagrams()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(Transport.Udp) with { Count = 3 });
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        for (int i = 1; i <= 3; i++) Assert.Equal(new byte[i], await ExchangeAsync(client, new byte[i]));

        ListenerResult result = await server.FinishedAsync();
        Assert.Equal(3, result.Clients);
        Assert.Equal(1 + 2 + 3, result.BytesReceived);
        Assert.Equal(1 + 2 + 3, result.BytesSent);
    }

    [Fact]
    public async Task Udp_relay_listener_writes_datagrams_to_output_and_answers_the_last_sender_with_input()
    {
        using var input = new BlockingInputStream();
        using var output = new HashingStream();
        var options = new ListenerOptions { Endpoint = Loopback.Udp(0), Mode = ListenerMode.Relay };
        await using RunningListener server = await RunningListener.StartAsync(options, input, output);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        byte[] hello = Encoding.ASCII.GetBytes("hello listener");
        await client.SendAsync(hello, SocketFlags.None);
        input.Add(Encoding.ASCII.GetBytes("hello client"));

        Assert.Equal("hello client", Encoding.ASCII.GetString(await ReceiveAsync(client)));
        Assert.Equal(hello.Length, output.Written);
        Assert.Equal(Payload.Sha256(hello), output.Sha256());
    }

    [Fact]
    public async Task Udp_listener_drops_datagrams_from_denied_peers_and_reports_them()
    {
        var options = RunningListener.Echo(Transport.Udp) with { Filter = AddressFilter.Parse(null, new[] { "127.0.0.0/8" }) };
        await using RunningListener server = await RunningListener.StartAsync(options);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        await client.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None);
        ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
        Assert.StartsWith("127.0.0.1:", rejected.Remote);
        Assert.Equal("denied by 127.0.0.0/8", rejected.Reason);

        using var quiet = new CancellationTokenSource(Limits.Quiet);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ReceiveAsync(new byte[16], SocketFlags.None, quiet.Token));
    }

    private static async Task<byte[]> ExchangeAsync(Socket client, byte[] datagram)
    {
        await client.SendAsync(datagram, SocketFlags.None);
        return await ReceiveAsync(client);
    }

    private static async Task<byte[]> ReceiveAsync(Socket client)
    {
        using var cts = new CancellationTokenSource(Limits.Wait);
        var buffer = new byte[65536];
        int n = await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer.AsSpan(0, n).ToArray();
    }
}
