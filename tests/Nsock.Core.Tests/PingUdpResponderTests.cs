using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// Peers that misbehave on purpose, to see that replies are matched by session and sequence, not by arrival.
public class PingUdpResponderTests
{
    private static async Task<PingSummary> PingAsync(PingOptions o, TestEventSink sink, double limitSeconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(limitSeconds));
        return await Pinger.RunAsync(o, sink, cts.Token).Within(limitSeconds + 5);
    }

    private static PingOptions Options(UdpTestResponder peer, int count, int intervalMs, int timeoutMs) => new()
    {
        Endpoint = peer.Endpoint,
        Count = count,
        Interval = TimeSpan.FromMilliseconds(intervalMs),
        Timeout = TimeSpan.FromMilliseconds(timeoutMs),
    };

    [Fact]
    public async Task Every_other_probe_dropped_by_the_peer_counts_half_lost_and_reports_each_lost_sequence()
    {
        using var peer = new UdpTestResponder((r, d, from) =>
        {
            if (UdpTestResponder.WireSeq(d) % 2 == 0) r.Send(d, from);
        });
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Options(peer, 10, 0, 300), sink);

        Assert.Equal(10, s.Sent);
        Assert.Equal(5, s.Received);
        Assert.Equal(50, s.LossPercent);
        Assert.Equal(new long[] { 1, 3, 5, 7, 9 }, sink.Of<PingReply>().Select(r => r.Seq));
        Assert.Equal(new long[] { 2, 4, 6, 8, 10 }, sink.Of<PingLost>().Select(l => l.Seq).OrderBy(x => x));
        Assert.Equal(0, s.Refused);
    }

    [Fact]
    public async Task A_peer_that_answers_twice_has_every_second_answer_counted_as_a_duplicate_not_a_reply()
    {
        using var peer = new UdpTestResponder((r, d, from) =>
        {
            r.Send(d, from);
            r.Send(d, from);
        });
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Options(peer, 10, 0, 1000), sink);

        Assert.Equal(10, s.Received);
        Assert.Equal(10, s.Duplicates);
        Assert.Equal(0, s.LossPercent);
        Assert.Equal(10, sink.Of<PingReply>().Count);
    }

    [Fact]
    public async Task A_reply_held_back_until_after_the_next_probes_reply_counts_as_reordered()
    {
        byte[]? held = null;
        using var peer = new UdpTestResponder((r, d, from) =>
        {
            switch (UdpTestResponder.WireSeq(d))
            {
                case 0:
                    held = d; // answer probe 1 only after probe 2
                    break;
                case 1:
                    r.Send(d, from);
                    if (held is not null) r.Send(held, from);
                    break;
                default:
                    r.Send(d, from);
                    break;
            }
        });
        var sink = new TestEventSink();

        // Interval 20 ms with a 1 s timeout: probe 2 goes out while probe 1 still waits.
        PingSummary s = await PingAsync(Options(peer, 5, 20, 1000), sink);

        Assert.Equal(5, s.Received);
        Assert.Equal(1, s.Reordered);
        Assert.Equal(0, s.Late);
        Assert.Equal(new long[] { 2, 1, 3, 4, 5 }, sink.Of<PingReply>().Select(r => r.Seq));
    }

    [Fact]
    public async Task Junk_wrong_session_and_never_sent_sequences_are_counted_foreign_and_never_taken_for_replies()
    {
        using var peer = new UdpTestResponder((r, d, from) =>
        {
            r.Send(new byte[] { 1, 2, 3, 4, 5 }, from); // too short to be a probe
            byte[] otherSession = (byte[])d.Clone();
            otherSession[7] ^= 0xFF;
            r.Send(otherSession, from);
            byte[] unsent = (byte[])d.Clone();
            unsent[8] = 0x7F; // sequence 2^30-ish: never sent in this run
            r.Send(unsent, from);
            byte[] badMagic = (byte[])d.Clone();
            badMagic[0] = (byte)'X';
            r.Send(badMagic, from);
            r.Send(d, from); // the real answer comes last
        });
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Options(peer, 5, 0, 1000), sink);

        Assert.Equal(5, s.Received);
        Assert.Equal(20, s.Foreign);
        Assert.Equal(0, s.Duplicates + s.Late + s.Reordered);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, sink.Of<PingReply>().Select(r => r.Seq));
    }

    [Fact]
    public async Task A_reply_that_comes_after_its_probes_timeout_counts_late_and_the_probe_lost()
    {
        // Probe 1's answer is held until probe 3 arrives. In lockstep probe 2 only leaves once probe 1 has timed
        // out, so the held answer is late by construction, and it arrives while the run still goes on.
        byte[]? held = null;
        using var peer = new UdpTestResponder((r, d, from) =>
        {
            uint seq = UdpTestResponder.WireSeq(d);
            if (seq == 0) { held = d; return; }
            if (seq == 2 && held is not null) r.Send(held, from);
            r.Send(d, from);
        });
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Options(peer, 5, 0, 300), sink);

        Assert.Equal(1, s.Late);
        Assert.Equal(4, s.Received);
        Assert.Equal(20, s.LossPercent);
        Assert.Equal(0, s.Reordered + s.Duplicates);
        Assert.Equal(1, Assert.Single(sink.Of<PingLost>()).Seq);
        Assert.Equal(new long[] { 2, 3, 4, 5 }, sink.Of<PingReply>().Select(r => r.Seq));
    }

    [Fact]
    public async Task A_reply_after_the_timeout_counts_late_also_when_an_interval_spaces_the_probes()
    {
        // Probe 1 is answered after 500 ms, its timeout is 200 ms, probe 2 goes out at 1 s: the answer is late
        // whether or not the next probe has been sent yet.
        using var peer = new UdpTestResponder((r, d, from) =>
        {
            if (UdpTestResponder.WireSeq(d) == 0) Thread.Sleep(500); // the responder's own thread; nothing else is due
            r.Send(d, from);
        });
        var sink = new TestEventSink();

        PingSummary s = await PingAsync(Options(peer, 2, 1000, 200), sink);

        Assert.True(s.MaxMs is null || s.MaxMs < 200, $"a reply was counted with an rtt of {s.MaxMs} ms, over the 200 ms timeout");
        Assert.Equal(1, s.Late);
        Assert.Equal(1, s.Received);
        Assert.Equal(1, Assert.Single(sink.Of<PingLost>()).Seq);
    }
}
