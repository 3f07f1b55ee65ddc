using System;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class ProbeUdpTests
{
    private static async Task<PortProbeResult> ProbeOneAsync(int port, TimeSpan timeout)
    {
        var o = new PortProbeOptions { Targets = new[] { "127.0.0.1" }, Ports = new[] { port }, Udp = true, Timeout = timeout };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var results = await PortProber.RunAsync(o, new TestEventSink(), cts.Token).Within(15);
        PortProbeResult r = Assert.Single(results);
        Assert.Equal(port, r.Port);
        Assert.Equal(Transport.Udp, r.Protocol);
        return r;
    }

    [Fact]
    public async Task A_udp_port_nobody_listens_on_is_closed_by_icmp_port_unreachable()
    {
        PortProbeResult r = await ProbeOneAsync(TestLoopback.ClosedUdpPort(), TimeSpan.FromSeconds(2));

        Assert.Equal(PortState.Closed, r.State);
        Assert.Equal("closed", r.StateText);
        Assert.NotNull(r.LatencyMs);
    }

    [Fact]
    public async Task A_udp_echo_listener_is_open()
    {
        await using EchoListener echo = await EchoListener.StartAsync();

        PortProbeResult r = await ProbeOneAsync(echo.Port, TimeSpan.FromSeconds(2));

        Assert.Equal(PortState.Open, r.State);
        Assert.NotNull(r.LatencyMs);
    }

    [Fact]
    public async Task A_bound_udp_socket_that_never_answers_is_open_or_filtered()
    {
        using var silent = UdpTestResponder.Silent();

        PortProbeResult r = await ProbeOneAsync(silent.Port, TimeSpan.FromMilliseconds(500));

        Assert.Equal(PortState.OpenFiltered, r.State);
        Assert.Equal("open|filtered", r.StateText);
        Assert.Null(r.LatencyMs);
        Assert.True(silent.Received >= 1, "the probe datagram never reached the silent socket");
    }
}
