using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// The "wait until the service is up" step: PortProber.WaitAsync.
public class ProbeWaitTests
{
    [Fact]
    public async Task Wait_succeeds_once_a_listener_appears_part_way_through_the_wait()
    {
        int port = TestLoopback.ClosedTcpPort();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var clock = Stopwatch.StartNew();
        Task<PortProbeResult> wait = PortProber.WaitAsync("127.0.0.1", port, udp: false, TimeSpan.FromSeconds(10), IpVersion.Any, cts.Token);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted, "the wait ended before anything listened");
        using Socket listener = TestLoopback.ListenTcp(port);
        PortProbeResult r = await wait.Within(8);

        Assert.Equal(PortState.Open, r.State);
        Assert.Equal(port, r.Port);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 6);
    }

    [Fact]
    public async Task Wait_gives_up_with_the_last_non_open_result_once_the_deadline_passes()
    {
        int port = TestLoopback.ClosedTcpPort();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var clock = Stopwatch.StartNew();

        PortProbeResult r = await PortProber.WaitAsync("127.0.0.1", port, udp: false, TimeSpan.FromSeconds(1.5), IpVersion.Any, cts.Token).Within(8);

        Assert.NotEqual(PortState.Open, r.State);
        Assert.Equal(port, r.Port);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 4);
    }

    [Fact]
    public async Task A_wait_that_runs_out_reports_a_port_that_refuses_as_closed_not_filtered()
    {
        // Every wait that runs out ends with an attempt made at the deadline, i.e. with (almost) no time left:
        // a deadline of zero gets there at once. Repeated, because the failure is a race between a ~1 ms
        // connect timeout and the loopback reset.
        int port = TestLoopback.ClosedTcpPort();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var states = new Dictionary<PortState, int>();
        for (int i = 0; i < 2000; i++)
        {
            PortProbeResult r = await PortProber.WaitAsync("127.0.0.1", port, udp: false, TimeSpan.Zero, IpVersion.Any, cts.Token).Within(10);
            states[r.State] = states.GetValueOrDefault(r.State) + 1;
        }

        Assert.True(states.Keys is { Count: 1 } && states.ContainsKey(PortState.Closed),
            "a refusing port was reported as: " + string.Join(", ", states.Select(kv => $"{kv.Key} x{kv.Value}")));
    }
}
