using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// --allow/--deny on a real listener: a refused peer gets a reset (or at least an end of stream) and no data.
public class ListenerFilterTests
{
    [Theory]
    [InlineData(ListenerMode.Echo)]
    [InlineData(ListenerMode.Relay)]
    public async Task A_denied_loopback_client_gets_no_data_and_a_rejected_event(ListenerMode mode)
    {
        using var input = new BlockingInputStream();
        input.Add(new byte[] { 1, 2, 3 }); // a relay listener would send this to an admitted client
        var options = new ListenerOptions
        {
            Endpoint = Loopback.Tcp(0),
            Mode = mode,
            Filter = AddressFilter.Parse(null, new[] { "127.0.0.0/8" }),
        };
        await using RunningListener server = await RunningListener.StartAsync(options, input, null);

        Assert.Empty(await ConnectAndReadUntilClosedAsync(server.Endpoint, new byte[] { 42 }));
        ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
        Assert.StartsWith("127.0.0.1:", rejected.Remote);
        Assert.Equal("denied by 127.0.0.0/8", rejected.Reason);
        Assert.Empty(server.Sink.Of<ClientConnected>());
        Assert.False(server.Run.IsCompleted, "the listener stopped after refusing a client");
    }

    [Fact]
    public async Task An_allow_list_that_names_127_0_0_1_admits_a_loopback_client()
    {
        var options = RunningListener.Echo() with { Filter = AddressFilter.Parse(new[] { "198.51.100.0/24,127.0.0.1" }, null) };
        await using RunningListener server = await RunningListener.StartAsync(options);
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);

        Assert.Equal(new byte[] { 5, 6 }, await client.RoundTripAsync(new byte[] { 5, 6 }));
        Assert.Empty(server.Sink.Of<ClientRejected>());
    }

    [Fact]
    public async Task An_allow_list_without_loopback_refuses_a_loopback_client_which_does_not_count_as_served()
    {
        var options = RunningListener.Echo() with { Filter = AddressFilter.Parse(new[] { "198.51.100.0/24" }, null), Count = 1 };
        await using RunningListener server = await RunningListener.StartAsync(options);

        Assert.Empty(await ConnectAndReadUntilClosedAsync(server.Endpoint, new byte[] { 1 }));
        ClientRejected rejected = (await server.Sink.WaitForAsync<ClientRejected>()).Single();
        Assert.Equal("not in the allow list", rejected.Reason);
        await Task.Delay(Limits.Quiet);
        Assert.False(server.Run.IsCompleted, "a refused client counted towards --count");
    }

    [Fact]
    public async Task Deny_wins_over_an_allow_list_on_a_real_listener()
    {
        var options = RunningListener.Echo() with { Filter = AddressFilter.Parse(new[] { "127.0.0.0/8" }, new[] { "127.0.0.1" }) };
        await using RunningListener server = await RunningListener.StartAsync(options);

        Assert.Empty(await ConnectAndReadUntilClosedAsync(server.Endpoint, new byte[] { 1 }));
        Assert.Equal("denied by 127.0.0.1/32", (await server.Sink.WaitForAsync<ClientRejected>()).Single().Reason);
    }

    // Connects, sends a little, and reads until the server closes. A reset counts as closed wherever it shows up:
    // on connect (gVisor can report the accept-then-RST there), on send, or on receive. Returns the bytes read.
    private static async Task<byte[]> ConnectAndReadUntilClosedAsync(Endpoint endpoint, byte[] data)
    {
        Socket client;
        try
        {
            client = await Loopback.ConnectAsync(endpoint);
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.Io && e.Message.Contains("reset"))
        {
            return Array.Empty<byte>();
        }
        using (client)
        {
            using var cts = new CancellationTokenSource(Limits.Wait);
            var got = new List<byte>();
            var buffer = new byte[1024];
            try
            {
                await client.SendAllAsync(data);
                int n;
                while ((n = await client.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0) got.AddRange(buffer.AsSpan(0, n).ToArray());
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
            {
            }
            return got.ToArray();
        }
    }
}
