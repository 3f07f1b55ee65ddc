using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// How a relay ends when the peer does not simply close: silence, resets, cancellation, one-way relays, UDP.
public class StreamRelayEndTests
{
    [Fact]
    public async Task Relay_gives_up_with_timed_out_when_the_peer_stays_silent_after_input_ended()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        using Socket peer = await accepting;

        var clock = Stopwatch.StartNew();
        RelayResult r = await StreamRelay.RunAsync(client, new MemoryStream(Encoding.ASCII.GetBytes("hi")), null,
            new RelayOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(RelayEnd.IdleTimeout, r.End);
        Assert.False(r.Succeeded);
        Assert.Equal(NsockErrorKind.TimedOut, r.Error?.Kind);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {clock.Elapsed}");
        Assert.Equal("hi", Encoding.ASCII.GetString(await peer.ReadToEndAsync()));
    }

    [Fact]
    public async Task Relay_with_a_wait_after_input_ends_stops_then_and_counts_as_success()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        using Socket peer = await accepting;

        RelayResult r = await StreamRelay.RunAsync(client, new MemoryStream(new byte[] { 1, 2, 3 }), null,
            new RelayOptions { WaitAfterInputEnds = TimeSpan.FromMilliseconds(200), IdleTimeout = null }, CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(RelayEnd.WaitAfterInputEnded, r.End);
        Assert.True(r.Succeeded);
        Assert.Equal(3, r.BytesSent);
        Assert.Equal(new byte[] { 1, 2, 3 }, await peer.ReadToEndAsync());
    }

    [Fact]
    public async Task Relay_reports_failure_when_the_peer_resets()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        Socket peer = await accepting;
        using var input = new BlockingInputStream();

        Task<RelayResult> relay = StreamRelay.RunAsync(client, input, null, new RelayOptions(), CancellationToken.None);
        await peer.SendAllAsync(new byte[1000]);
        peer.Reset();
        RelayResult r = await relay.WaitAsync(Limits.Wait);
        input.Complete();

        Assert.Equal(RelayEnd.Failed, r.End);
        Assert.False(r.Succeeded);
        Assert.NotNull(r.Error);
        Assert.Equal(NsockErrorKind.Io, r.Error!.Kind);
        Assert.Contains("reset", r.Error.Message);
    }

    [Fact]
    public async Task Cancelling_a_relay_closes_its_socket_and_throws_operation_cancelled()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        using Socket peer = await accepting;
        using var input = new BlockingInputStream();
        using var cts = new CancellationTokenSource();

        Task<RelayResult> relay = StreamRelay.RunAsync(client, input, null, new RelayOptions(), cts.Token);
        await Task.Delay(100);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => relay.WaitAsync(Limits.Wait));
        input.Complete();

        // The peer sees the connection end (FIN or RST) rather than waiting forever.
        using var read = new CancellationTokenSource(Limits.Wait);
        try
        {
            Assert.Equal(0, await peer.ReceiveAsync(new byte[16], SocketFlags.None, read.Token));
        }
        catch (SocketException e)
        {
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        }
    }

    [Fact]
    public async Task Receive_only_relay_never_reads_input_and_ends_when_the_peer_closes()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        using Socket peer = await accepting;
        using var input = new RandomPayloadStream(1000, seed: 1);
        using var output = new MemoryStream();
        byte[] data = Payload.Bytes(300_000, seed: 8);

        Task<RelayResult> relay = StreamRelay.RunAsync(client, input, output, new RelayOptions { Direction = RelayDirection.ReceiveOnly }, CancellationToken.None);
        await peer.SendAllAsync(data);
        peer.Shutdown(SocketShutdown.Send);
        RelayResult r = await relay.WaitAsync(Limits.Wait);

        Assert.Equal(RelayEnd.Completed, r.End);
        Assert.Equal(0, input.Position);
        Assert.Equal(0, r.BytesSent);
        Assert.Equal(data.Length, r.BytesReceived);
        Assert.Equal(Payload.Sha256(data), Payload.Sha256(output.ToArray()));
    }

    [Fact]
    public async Task Send_only_relay_reads_and_discards_what_the_peer_sends()
    {
        using Socket listener = Loopback.ListenTcp();
        byte[] data = Payload.Bytes(200_000, seed: 9);
        Task<byte[]> peer = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptBoundedAsync();
            Task<byte[]> reading = s.ReadToEndAsync();
            await s.SendAllAsync(new byte[50_000]);
            s.Shutdown(SocketShutdown.Send);
            return await reading;
        });
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        using var output = new MemoryStream();

        RelayResult r = await StreamRelay.RunAsync(client, new MemoryStream(data), output, new RelayOptions { Direction = RelayDirection.SendOnly }, CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(RelayEnd.Completed, r.End);
        Assert.Equal(0, output.Length);
        Assert.Equal(50_000, r.BytesReceived);
        Assert.Equal(Payload.Sha256(data), Payload.Sha256(await peer.WaitAsync(Limits.Wait)));
    }

    [Fact]
    public async Task Udp_relay_sends_input_as_a_datagram_and_writes_the_reply()
    {
        using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Task echoing = Task.Run(async () =>
        {
            using var cts = new CancellationTokenSource(Limits.Wait);
            var buffer = new byte[65536];
            SocketReceiveFromResult got = await echo.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cts.Token);
            await echo.SendToAsync(buffer.AsMemory(0, got.ReceivedBytes), SocketFlags.None, got.RemoteEndPoint, cts.Token);
        });
        Socket client = await Loopback.ConnectAsync(Loopback.Udp(echo.Port()));
        var output = new MemoryStream();

        RelayResult r = await StreamRelay.RunAsync(client, new MemoryStream(Encoding.ASCII.GetBytes("ping")), output,
            new RelayOptions { WaitAfterInputEnds = TimeSpan.FromMilliseconds(500) }, CancellationToken.None).WaitAsync(Limits.Wait);
        await echoing.WaitAsync(Limits.Wait);

        Assert.Equal(RelayEnd.WaitAfterInputEnded, r.End);
        Assert.Equal("ping", Encoding.ASCII.GetString(output.ToArray()));
        Assert.Equal(4, r.BytesSent);
        Assert.Equal(4, r.BytesReceived);
    }

    [Fact]
    public async Task Udp_relay_to_a_closed_port_fails_as_refused()
    {
        Socket client = await Loopback.ConnectAsync(Loopback.Udp(Loopback.ClosedUdpPort()));
        using var input = new BlockingInputStream();
        input.Add(Encoding.ASCII.GetBytes("anyone?"));

        RelayResult r = await StreamRelay.RunAsync(client, input, null, new RelayOptions(), CancellationToken.None).WaitAsync(Limits.Wait);
        input.Complete();

        Assert.Equal(RelayEnd.Failed, r.End);
        Assert.Equal(NsockErrorKind.Refused, r.Error?.Kind);
    }
}
