using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class PingUdpEchoTests
{
    private static PingOptions Lockstep(Endpoint ep, int count) =>
        new() { Endpoint = ep, Count = count, Interval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(2) };

    private static async Task<PingSummary> PingAsync(PingOptions o, TestEventSink sink, double limitSeconds = 15)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(limitSeconds));
        return await Pinger.RunAsync(o, sink, cts.Token).Within(limitSeconds + 5);
    }

    [Fact]
    public async Task Ping_to_the_engines_echo_listener_gets_every_reply_with_ordered_rtt_statistics()
    {
        await using EchoListener echo = await EchoListener.StartAsync();
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Lockstep(echo.Endpoint, 20), sink);

        Assert.Equal(Transport.Udp, s.Protocol);
        Assert.Equal($"127.0.0.1:{echo.Port}", s.Address);
        Assert.Equal(20, s.Sent);
        Assert.Equal(20, s.Received);
        Assert.Equal(0, s.LossPercent);
        Assert.Equal(0, s.Refused + s.Duplicates + s.Reordered + s.Late + s.Foreign);
        Assert.True(s.MinMs >= 0, $"min {s.MinMs}");
        Assert.True(s.MinMs <= s.P50Ms && s.P50Ms <= s.P90Ms && s.P90Ms <= s.P99Ms && s.P99Ms <= s.MaxMs,
            $"min {s.MinMs} p50 {s.P50Ms} p90 {s.P90Ms} p99 {s.P99Ms} max {s.MaxMs}");
        Assert.InRange(s.AvgMs!.Value, s.MinMs!.Value, s.MaxMs!.Value);
        Assert.NotNull(s.StdDevMs);
        Assert.NotNull(s.JitterMs);
    }

    [Fact]
    public async Task Every_reply_is_reported_through_the_sink_in_sequence_with_its_size_and_rtt()
    {
        await using EchoListener echo = await EchoListener.StartAsync();
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Lockstep(echo.Endpoint, 10) with { Size = 1400 }, sink);

        var replies = sink.Of<PingReply>();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), replies.Select(r => r.Seq));
        Assert.All(replies, r =>
        {
            Assert.Equal(1400, r.Bytes);
            Assert.Equal(Transport.Udp, r.Protocol);
            Assert.InRange(r.RttMs, s.MinMs!.Value, s.MaxMs!.Value);
        });
        Assert.Empty(sink.Of<PingLost>());
    }

    [Fact]
    public async Task Warmup_probes_are_sent_but_not_counted_or_reported()
    {
        await using EchoListener echo = await EchoListener.StartAsync(reportDatagrams: true);
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Lockstep(echo.Endpoint, 10) with { Warmup = 3 }, sink);

        // Lockstep: every probe was echoed, hence reported by the listener, before the run ended.
        Assert.Equal(13, echo.Events.Of<DatagramReceived>().Count);
        Assert.Equal(10, s.Sent);
        Assert.Equal(10, s.Received);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), sink.Of<PingReply>().Select(r => r.Seq));
    }

    [Fact]
    public async Task Lockstep_ping_with_interval_zero_runs_two_thousand_probes_without_waiting_between_them()
    {
        await using EchoListener echo = await EchoListener.StartAsync();
        var sink = new TestEventSink();

        // Interval 0 means "next probe as soon as this one is answered": a second-long interval would take half an hour.
        PingSummary s = await PingAsync(Lockstep(echo.Endpoint, 2000), sink, limitSeconds: 20);

        Assert.Equal(2000, s.Sent);
        Assert.Equal(2000, s.Received);
        Assert.Equal(0, s.Late + s.Duplicates + s.Foreign);
        Assert.Equal(2000, sink.Of<PingReply>().Select(r => r.Seq).Distinct().Count());
    }

    [Ipv6LoopbackFact]
    public async Task Ping_over_ipv6_loopback_gets_every_reply_from_an_echo_listener_on_ipv6_loopback()
    {
        await using EchoListener echo = await EchoListener.StartAsync("::1");
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Lockstep(echo.Endpoint, 5), sink);

        Assert.Equal($"[::1]:{echo.Port}", s.Address);
        Assert.Equal(5, s.Received);
        Assert.Equal(0, s.LossPercent);
        Assert.Equal(5, sink.Of<PingReply>().Count);
    }
}
