using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class SenderTests
{
    private static readonly SendOptions Options = new() { Connect = new ConnectOptions { Timeout = Limits.Wait }, ReplyTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Sender_delivers_everything_to_an_echo_listener_and_collects_the_whole_echo()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo());
        using var data = new RandomPayloadStream(5 << 20, seed: 80);
        using var reply = new HashingStream();
        var sink = new RecordingSink();

        SendResult r = await Sender.SendAsync(server.Endpoint, data, reply, Options, sink, CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.True(r.PeerClosed);
        Assert.Equal(5 << 20, r.BytesSent);
        Assert.Equal(5 << 20, r.BytesReceived);
        Assert.Equal(data.Sha256, reply.Sha256());
        Assert.Equal($"127.0.0.1:{server.Port}", r.Remote);
        Connected connected = sink.Of<Connected>().Single();
        Assert.Equal(Transport.Tcp, connected.Transport);
    }

    [Fact]
    public async Task Sender_without_a_reply_stream_still_waits_for_the_peer_and_delivers_everything()
    {
        using var output = new HashingStream();
        var options = new ListenerOptions { Endpoint = Loopback.Tcp(0), Mode = ListenerMode.Relay };
        await using RunningListener server = await RunningListener.StartAsync(options, null, output);
        using var data = new RandomPayloadStream(3 << 20, seed: 81);

        SendResult r = await Sender.SendAsync(server.Endpoint, data, null, Options, NullEventSink.Instance, CancellationToken.None).WaitAsync(Limits.Wait);
        await server.FinishedAsync();

        Assert.True(r.PeerClosed);
        Assert.Equal(data.Sha256, output.Sha256());
    }

    [Fact]
    public async Task Sender_over_udp_sends_one_datagram_per_read_and_waits_for_as_many_replies()
    {
        await using RunningListener server = await RunningListener.StartAsync(RunningListener.Echo(Transport.Udp));
        var reply = new MemoryStream();

        SendResult r = await Sender.SendAsync(server.Endpoint, new MemoryStream(Encoding.ASCII.GetBytes("ping")), reply, Options, NullEventSink.Instance, CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(1, r.Datagrams);
        Assert.Equal(4, r.BytesSent);
        Assert.Equal("ping", Encoding.ASCII.GetString(reply.ToArray()));
        Assert.True(r.PeerClosed);
    }

    [Fact]
    public async Task Sender_over_udp_to_a_closed_port_is_refused()
    {
        var options = Options with { ReplyTimeout = TimeSpan.FromSeconds(5) };
        var e = await Assert.ThrowsAsync<NsockException>(() =>
            Sender.SendAsync(Loopback.Udp(Loopback.ClosedUdpPort()), new MemoryStream(new byte[] { 1 }), new MemoryStream(), options, NullEventSink.Instance, CancellationToken.None).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
    }

    [Fact]
    public async Task Sender_to_a_unix_listener_delivers_everything()
    {
        var options = RunningListener.Echo() with { Endpoint = EndpointParser.Parse("unix:" + Loopback.UnixPath()) };
        await using RunningListener server = await RunningListener.StartAsync(options);
        using var data = new RandomPayloadStream(1 << 20, seed: 82);
        using var reply = new HashingStream();

        SendResult r = await Sender.SendAsync(server.Endpoint, data, reply, Options, NullEventSink.Instance, CancellationToken.None).WaitAsync(Limits.Wait);

        Assert.Equal(data.Sha256, reply.Sha256());
        Assert.Equal(server.Endpoint.ToString(), r.Remote);
    }

    [Fact]
    public async Task Sender_to_a_closed_port_fails_as_refused()
    {
        var e = await Assert.ThrowsAsync<NsockException>(() =>
            Sender.SendAsync(Loopback.Tcp(Loopback.ClosedTcpPort()), new MemoryStream(new byte[] { 1 }), null, Options, NullEventSink.Instance, CancellationToken.None).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
    }
}
