using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// A timeout of 0 means "never": it reaches the engine as InfiniteTimeSpan, which must be no deadline at all.
public class SendNeverTimesOutTests
{
    [Fact]
    public async Task Send_with_an_infinite_reply_timeout_waits_for_a_silent_peer_until_it_answers_and_closes()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        var reply = new MemoryStream();
        var options = new SendOptions { ReplyTimeout = Timeout.InfiniteTimeSpan };
        Task<SendResult> sending = Sender.SendAsync(Loopback.Tcp(listener.Port()), new MemoryStream(Encoding.ASCII.GetBytes("ping")), reply, options, NullEventSink.Instance, CancellationToken.None);
        using Socket peer = await accepting;

        await Task.Delay(700);
        Assert.False(sending.IsCompleted, "the send ended while the peer was silent, though its reply timeout was infinite");

        peer.Send(Encoding.ASCII.GetBytes("pong"));
        peer.Shutdown(SocketShutdown.Send);
        SendResult r = await sending.WaitAsync(Limits.Wait);
        Assert.True(r.PeerClosed);
        Assert.Equal("pong", Encoding.ASCII.GetString(reply.ToArray()));
    }

    [Fact]
    public async Task Relay_with_an_infinite_idle_timeout_is_not_timed_out_at_once()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        using Socket peer = await accepting;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));

        Task<RelayResult> relay = StreamRelay.RunAsync(client, new MemoryStream(new byte[] { 1 }), new MemoryStream(),
            new RelayOptions { IdleTimeout = Timeout.InfiniteTimeSpan }, cts.Token);
        // Still relaying when cancelled after 600 ms: cancellation is what ends it, not an idle timeout.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => relay.WaitAsync(Limits.Wait));
    }
}
