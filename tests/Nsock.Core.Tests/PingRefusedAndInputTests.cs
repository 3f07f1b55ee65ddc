using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class PingRefusedAndInputTests
{
    // A name under the reserved .invalid TLD: if validation came after resolution the error would be NameNotFound.
    private static readonly Endpoint Unresolvable = new(Transport.Udp, "nsock-ping-test.invalid", 9);

    [Fact]
    public async Task Ping_to_a_udp_port_nobody_listens_on_counts_refusals_from_icmp_port_unreachable()
    {
        int port = TestLoopback.ClosedUdpPort();
        var sink = new TestEventSink();
        var o = new PingOptions { Endpoint = new Endpoint(Transport.Udp, "127.0.0.1", port), Count = 3, Interval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(1) };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        PingSummary s = await Pinger.RunAsync(o, sink, cts.Token).Within(15);

        Assert.Equal(3, s.Sent);
        Assert.Equal(0, s.Received);
        Assert.True(s.Refused > 0, "no refusal was counted");
        Assert.Equal(100, s.LossPercent);
        Assert.Null(s.MinMs);
        Assert.Contains(sink.Of<PingLost>(), l => l.Reason.Contains("refused"));
        Assert.Empty(sink.Of<PingReply>());
    }

    [Fact]
    public async Task Refusals_of_warmup_probes_are_not_counted_in_the_summary()
    {
        int port = TestLoopback.ClosedUdpPort();
        var sink = new TestEventSink();
        var o = new PingOptions { Endpoint = new Endpoint(Transport.Udp, "127.0.0.1", port), Count = 3, Warmup = 2, Interval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(1) };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        PingSummary s = await Pinger.RunAsync(o, sink, cts.Token).Within(15);

        Assert.Equal(new long[] { 1, 2, 3 }, sink.Of<PingLost>().Select(l => l.Seq));
        Assert.Equal(3, s.Sent);
        Assert.True(s.Refused <= s.Sent, $"{s.Refused} refusals counted for {s.Sent} counted probes");
    }

    [Theory]
    [InlineData(70000)]
    [InlineData(11)]
    [InlineData(65508)]
    public async Task An_out_of_range_udp_size_fails_as_bad_input_naming_the_size_before_anything_is_opened(int size)
    {
        var o = new PingOptions { Endpoint = Unresolvable, Size = size, Count = 1 };

        var e = await Assert.ThrowsAsync<NsockException>(() => Pinger.RunAsync(o, new TestEventSink(), CancellationToken.None).Within(10));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(65507)]
    public void The_smallest_and_largest_udp_sizes_are_accepted(int size)
    {
        var o = new PingOptions { Endpoint = Unresolvable, Size = size };

        var error = Record.Exception(o.Validate);

        Assert.Null(error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_count_below_one_fails_as_bad_input(int count)
    {
        var o = new PingOptions { Endpoint = Unresolvable, Count = count };

        var e = await Assert.ThrowsAsync<NsockException>(() => Pinger.RunAsync(o, new TestEventSink(), CancellationToken.None).Within(10));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("count", e.Message);
    }

    [Fact]
    public async Task A_zero_timeout_fails_as_bad_input()
    {
        var o = new PingOptions { Endpoint = Unresolvable, Timeout = TimeSpan.Zero };

        var e = await Assert.ThrowsAsync<NsockException>(() => Pinger.RunAsync(o, new TestEventSink(), CancellationToken.None).Within(10));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("timeout", e.Message);
    }

    [Fact]
    public async Task Tcp_ping_ignores_the_udp_size_limit()
    {
        using var listener = TestLoopback.ListenTcp();
        var o = new PingOptions { Endpoint = new Endpoint(Transport.Tcp, "127.0.0.1", TestLoopback.PortOf(listener)), Size = 70000, Count = 1, Interval = TimeSpan.Zero, Timeout = TimeSpan.FromSeconds(2) };

        PingSummary s = await Pinger.RunAsync(o, new TestEventSink(), CancellationToken.None).Within(10);

        Assert.Equal(1, s.Received);
    }

    [Fact]
    public async Task The_summary_counts_only_what_was_sent_when_the_run_is_cancelled_part_way()
    {
        using var peer = UdpTestResponder.Echo();
        var o = new PingOptions { Endpoint = peer.Endpoint, Count = 1000, Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromSeconds(1) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(450));
        var sink = new TestEventSink();

        PingSummary s = await Pinger.RunAsync(o, sink, cts.Token).Within(10);

        Assert.InRange(s.Sent, 1, 10);
        Assert.True(s.Received <= s.Sent);
        Assert.Equal(s.Received, sink.Of<PingReply>().LongCount());
    }
}
