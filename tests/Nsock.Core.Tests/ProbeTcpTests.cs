using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class ProbeTcpTests
{
    // portable: through the connect batch of netstandard2.0, Windows and macOS even on Linux.
    private static async Task<IReadOnlyList<PortProbeResult>> ProbeAsync(PortProbeOptions o, TestEventSink sink, double limitSeconds = 15, bool portable = false)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(limitSeconds));
        return await PortProber.RunAsync(o, sink, cts.Token, forcePortableTcp: portable).Within(limitSeconds + 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_listening_tcp_port_is_open_and_ports_nobody_listens_on_are_closed(bool portable)
    {
        using Socket listener = TestLoopback.ListenTcp();
        int open = TestLoopback.PortOf(listener);
        int closedA = TestLoopback.ClosedTcpPort(), closedB = TestLoopback.ClosedTcpPort();
        var o = new PortProbeOptions { Targets = new[] { "127.0.0.1" }, Ports = new[] { closedA, open, closedB }, Timeout = TimeSpan.FromSeconds(2) };

        var results = await ProbeAsync(o, new TestEventSink(), portable: portable);

        Assert.Equal(new[] { closedA, open, closedB }, results.Select(r => r.Port));
        Assert.Equal(new[] { PortState.Closed, PortState.Open, PortState.Closed }, results.Select(r => r.State));
        Assert.All(results, r =>
        {
            Assert.Equal(Transport.Tcp, r.Protocol);
            Assert.Equal("127.0.0.1", r.Address);
            Assert.NotNull(r.LatencyMs);
        });
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(3, true)]
    public async Task Sockets_reused_after_a_refusal_still_tell_open_from_closed_in_any_order(int parallel, bool portable)
    {
        // A refused socket is connected again for the next probe (Linux): the first connect after a refusal
        // only resets it. Mixed runs of closed and open ports, v4 and v6, catch a reused socket reporting the
        // previous probe's answer or a reset as the new one.
        using Socket a = TestLoopback.ListenTcp(), b = TestLoopback.ListenTcp();
        int openA = TestLoopback.PortOf(a), openB = TestLoopback.PortOf(b);
        int[] closed = Enumerable.Range(0, 6).Select(_ => TestLoopback.ClosedTcpPort()).Distinct().ToArray();
        int[] ports = { closed[0], closed[1], openA, closed[2], openB, openA, closed[3], closed[4], closed[0], openB, closed[5], closed[1] };
        var o = new PortProbeOptions { Targets = new[] { "127.0.0.1", "localhost" }, Ports = ports, Parallel = parallel, Timeout = TimeSpan.FromSeconds(2) };

        var results = await ProbeAsync(o, new TestEventSink(), portable: portable);

        Assert.Equal(ports.Length * 2, results.Count);
        foreach (PortProbeResult r in results.Where(r => r.Target == "127.0.0.1"))
        {
            Assert.Equal(r.Port == openA || r.Port == openB ? PortState.Open : PortState.Closed, r.State);
        }
        // localhost may also resolve to ::1 first (where nothing listens): only its closed ports are certain.
        Assert.All(results.Where(r => r.Target == "localhost" && r.Port != openA && r.Port != openB), r => Assert.Equal(PortState.Closed, r.State));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Results_keep_the_order_of_targets_then_ports_while_fifty_probes_run_at_once(bool portable)
    {
        // Below the ephemeral range: the 200 ports around it hold no other test's listener (probing those connected
        // to them, and their tests saw a stranger's connection).
        using Socket listener = TestLoopback.ListenTcpBelowEphemeralRange();
        int open = TestLoopback.PortOf(listener);
        // ~200 ports around the listener's; whatever else may listen there, only the order and our port are asserted.
        int first = Math.Clamp(open - 100, 1, 65535 - 199);
        int[] ports = Enumerable.Range(first, 200).Reverse().ToArray();
        string[] targets = { "127.0.0.1", "localhost" };
        var sink = new TestEventSink();
        var o = new PortProbeOptions { Targets = targets, Ports = ports, Parallel = 50, Timeout = TimeSpan.FromSeconds(2) };

        var results = await ProbeAsync(o, sink, portable: portable);

        var expected = targets.SelectMany(t => ports.Select(p => (t, p))).ToArray();
        Assert.Equal(expected, results.Select(r => (r.Target, r.Port)));
        Assert.Equal(expected, sink.Of<PortProbeResult>().Select(r => (r.Target, r.Port)));
        Assert.Equal(PortState.Open, results.Single(r => r.Target == "127.0.0.1" && r.Port == open).State);
    }

    // A listener whose accept queue is full drops new SYNs: the one reliable way to make a loopback connect go
    // unanswered. Only that port is filtered, and only once its own timeout has passed.
    [FullBacklogDropsSynFact]
    public Task A_port_that_drops_the_syn_is_filtered_after_the_timeout_and_its_neighbours_are_not() => DroppedSynAsync(portable: false);

    [FullBacklogDropsSynFact]
    public Task The_portable_batch_calls_a_port_that_drops_the_syn_filtered_after_the_timeout_and_its_neighbours_not() => DroppedSynAsync(portable: true);

    private static async Task DroppedSynAsync(bool portable)
    {
        using Socket full = Loopback.ListenTcp(backlog: 0);
        using Socket open = TestLoopback.ListenTcp();
        int fullPort = TestLoopback.PortOf(full), openPort = TestLoopback.PortOf(open), closed = TestLoopback.ClosedTcpPort();
        var fillers = new List<Socket>();
        try
        {
            await FillBacklogAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, fullPort), fillers);
            var timeout = TimeSpan.FromMilliseconds(600);
            var o = new PortProbeOptions { Targets = new[] { "127.0.0.1" }, Ports = new[] { openPort, fullPort, closed }, Timeout = timeout };
            var clock = System.Diagnostics.Stopwatch.StartNew();

            var results = await ProbeAsync(o, new TestEventSink(), portable: portable);

            Assert.Equal(new[] { PortState.Open, PortState.Filtered, PortState.Closed }, results.Select(r => r.State));
            Assert.Equal("no answer within the timeout", results[1].Detail);
            Assert.InRange(clock.Elapsed, timeout - TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (Socket s in fillers) s.Dispose();
        }
    }

    private static async Task FillBacklogAsync(System.Net.IPEndPoint endpoint, List<Socket> fillers)
    {
        for (int i = 0; i < 64; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            fillers.Add(s);
            using var quick = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                await s.ConnectAsync(endpoint, quick.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        Assert.Fail("the accept queue never filled up");
    }

    [Fact]
    public async Task Rows_of_their_own_hosts_and_ports_are_probed_in_one_run_and_reported_row_by_row()
    {
        using Socket a = TestLoopback.ListenTcp(), b = TestLoopback.ListenTcp();
        int openA = TestLoopback.PortOf(a), openB = TestLoopback.PortOf(b), closed = TestLoopback.ClosedTcpPort();
        var o = new PortProbeOptions
        {
            Groups = new[]
            {
                new PortProbeGroup(new[] { "127.0.0.1" }, new[] { openB, closed }),
                new PortProbeGroup(new[] { "localhost", "127.0.0.1" }, new[] { closed }),
                new PortProbeGroup(new[] { "127.0.0.1" }, new[] { openA }),
            },
            Timeout = TimeSpan.FromSeconds(2),
        };

        var sink = new TestEventSink();
        var results = await ProbeAsync(o, sink);

        var expected = new[] { ("127.0.0.1", openB), ("127.0.0.1", closed), ("localhost", closed), ("127.0.0.1", closed), ("127.0.0.1", openA) };
        Assert.Equal(expected, results.Select(r => (r.Target, r.Port)));
        Assert.Equal(expected, sink.Of<PortProbeResult>().Select(r => (r.Target, r.Port)));
        Assert.Equal(new[] { PortState.Open, PortState.Closed, PortState.Closed, PortState.Closed, PortState.Open }, results.Select(r => r.State));
    }

    [Fact]
    public async Task A_row_without_ports_is_bad_input_before_any_probe()
    {
        var sink = new TestEventSink();
        var o = new PortProbeOptions { Groups = new[] { new PortProbeGroup(new[] { "127.0.0.1" }, new[] { 9 }), new PortProbeGroup(new[] { "127.0.0.1" }, Array.Empty<int>()) } };

        var e = await Assert.ThrowsAsync<NsockException>(() => ProbeAsync(o, sink));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("no port", e.Message);
        Assert.Empty(sink.Events);
    }

    [Fact]
    public async Task An_ipv4_slash_8_is_refused_as_bad_input_naming_the_bound_before_any_probe()
    {
        var sink = new TestEventSink();
        var o = new PortProbeOptions { Targets = new[] { "127.0.0.0/8" }, Ports = new[] { 9 } };

        var e = await Assert.ThrowsAsync<NsockException>(() => ProbeAsync(o, sink));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("127.0.0.0/8", e.Message);
        Assert.True(e.Message.Contains("65536") || e.Message.Contains("65,536"), e.Message);
        Assert.Empty(sink.Events);
    }

    [Fact]
    public async Task An_ipv6_slash_64_is_refused_as_too_many_addresses()
    {
        var o = new PortProbeOptions { Targets = new[] { "::1/64" }, Ports = new[] { 9 } };

        var e = await Assert.ThrowsAsync<NsockException>(() => ProbeAsync(o, new TestEventSink()));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("too many", e.Message);
    }

    [Fact]
    public async Task A_slash_30_expands_to_its_four_addresses_in_order()
    {
        using Socket listener = TestLoopback.ListenTcp();
        int port = TestLoopback.PortOf(listener);
        var o = new PortProbeOptions { Targets = new[] { "127.0.0.0/30" }, Ports = new[] { port }, Timeout = TimeSpan.FromSeconds(1) };

        var results = await ProbeAsync(o, new TestEventSink());

        string[] addresses = { "127.0.0.0", "127.0.0.1", "127.0.0.2", "127.0.0.3" };
        Assert.Equal(addresses, results.Select(r => r.Address));
        Assert.Equal(addresses, results.Select(r => r.Target));
        Assert.Equal(PortState.Open, results[1].State);
    }

    [Fact]
    public void Cidr_block_size_and_addresses_match_the_prefix()
    {
        CidrBlock b = CidrBlock.Parse("127.0.0.5/30");

        Assert.Equal(4, b.Size);
        Assert.Equal(new[] { "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7" }, b.Addresses().Select(a => a.ToString()));
        Assert.Equal(65536, CidrBlock.Parse("127.0.0.0/16").Size);
        Assert.Equal(long.MaxValue, CidrBlock.Parse("::1/64").Size);
        Assert.Equal(1L << 62, CidrBlock.Parse("::1/66").Size);
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_is_reported_unresolved_in_its_place()
    {
        int closed = TestLoopback.ClosedTcpPort();
        var o = new PortProbeOptions { Targets = new[] { "nsock-probe-test.invalid", "127.0.0.1" }, Ports = new[] { closed }, Timeout = TimeSpan.FromSeconds(1) };

        var results = await ProbeAsync(o, new TestEventSink());

        Assert.Equal(new[] { PortState.Unresolved, PortState.Closed }, results.Select(r => r.State));
        Assert.Null(results[0].Address);
        Assert.NotNull(results[0].Detail);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Parallel_below_one_fails_as_bad_input(int parallel)
    {
        var o = new PortProbeOptions { Targets = new[] { "127.0.0.1" }, Ports = new[] { 9 }, Parallel = parallel };

        var e = await Assert.ThrowsAsync<NsockException>(() => ProbeAsync(o, new TestEventSink()));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("parallel", e.Message);
    }
}
