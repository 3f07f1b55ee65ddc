using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class PingTcpTests
{
    private static PingOptions Tcp(int port, int count) => new()
    {
        Endpoint = new Endpoint(Transport.Tcp, "127.0.0.1", port),
        Count = count,
        Interval = TimeSpan.Zero,
        Timeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task Tcp_ping_to_a_listening_port_reports_each_handshake_with_a_positive_rtt()
    {
        using var listener = TestLoopback.ListenTcp();
        var sink = new TestEventSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        PingSummary s = await Pinger.RunAsync(Tcp(TestLoopback.PortOf(listener), 4) with { Warmup = 1 }, sink, cts.Token).Within(15);

        Assert.Equal(Transport.Tcp, s.Protocol);
        Assert.Equal(4, s.Sent);
        Assert.Equal(4, s.Received);
        Assert.Equal(0, s.Refused);
        var replies = sink.Of<PingReply>();
        Assert.Equal(new long[] { 1, 2, 3, 4 }, replies.Select(r => r.Seq));
        Assert.All(replies, r => Assert.True(r.RttMs > 0, $"rtt {r.RttMs}"));
        Assert.True(s.MinMs > 0);
    }

    [Fact]
    public async Task Tcp_ping_to_a_closed_port_counts_every_probe_refused_and_none_received()
    {
        int port = TestLoopback.ClosedTcpPort();
        var sink = new TestEventSink();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        PingSummary s = await Pinger.RunAsync(Tcp(port, 3), sink, cts.Token).Within(15);

        Assert.Equal(3, s.Sent);
        Assert.Equal(0, s.Received);
        Assert.Equal(3, s.Refused);
        Assert.Equal(100, s.LossPercent);
        var lost = sink.Of<PingLost>();
        Assert.Equal(new long[] { 1, 2, 3 }, lost.Select(l => l.Seq));
        Assert.All(lost, l => Assert.Equal("refused", l.Reason));
    }
}
