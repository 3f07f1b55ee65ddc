using System;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// Issue 14, finding 9: three full-range UDP probes of ::1 side by side crashed the native AOT build (SIGABRT) in
/// the runtime's stack walk for the SocketException each closed port raised. A UDP probe now throws nothing for a
/// closed port; this counts first-chance exceptions raised inside the probe's own flow (an AsyncLocal marks it, so
/// the tests running beside it do not count).
/// </summary>
public sealed class ProbeUdpNoThrowTests
{
    private static readonly AsyncLocal<bool> s_inProbe = new();

    [Fact]
    public async Task Udp_probe_of_closed_ports_on_ipv6_loopback_throws_no_exception_on_its_way()
    {
        int thrown = 0;
        string? first = null;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            if (!s_inProbe.Value) return;
            if (Interlocked.Increment(ref thrown) == 1) first = e.Exception.GetType().Name + ": " + e.Exception.Message;
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            s_inProbe.Value = true;
            var o = new PortProbeOptions { Targets = new[] { "::1" }, Ports = Enumerable.Range(20000, 300).ToArray(), Udp = true, Timeout = TimeSpan.FromSeconds(2) }; // below the ephemeral range: no other test's socket
            var results = await PortProber.RunAsync(o, new TestEventSink(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
            s_inProbe.Value = false;

            Assert.Equal(300, results.Count);
            Assert.Contains(results, r => r.State == PortState.Closed); // the ports the test machine does not use
            Assert.True(thrown == 0, $"{thrown} exceptions thrown while probing; the first: {first}");
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
    }

    [Fact]
    public async Task Udp_probe_cancelled_mid_way_still_ends_as_cancelled()
    {
        // A silent target (a bound socket that never answers) keeps the receive pending until the cancel closes it.
        using var silent = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 0));
        int port = ((System.Net.IPEndPoint)silent.LocalEndPoint!).Port;
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var o = new PortProbeOptions { Targets = new[] { "::1" }, Ports = new[] { port }, Udp = true, Timeout = TimeSpan.FromSeconds(30) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PortProber.RunAsync(o, new TestEventSink(), cts.Token).WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Udp_probe_of_a_silent_port_is_open_filtered_after_the_timeout()
    {
        using var silent = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.IPv6Loopback, 0));
        int port = ((System.Net.IPEndPoint)silent.LocalEndPoint!).Port;
        var o = new PortProbeOptions { Targets = new[] { "::1" }, Ports = new[] { port }, Udp = true, Timeout = TimeSpan.FromMilliseconds(300) };

        var results = await PortProber.RunAsync(o, new TestEventSink(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(PortState.OpenFiltered, Assert.Single(results).State);
    }
}
