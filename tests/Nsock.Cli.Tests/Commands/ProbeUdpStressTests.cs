using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// Issue 14, finding 9: three UDP probes of a wide port range on ::1 at once, against the built binary (the crash was
/// in the native AOT runtime), a few rounds, each bounded. Every run must end with its own exit code (8: some port
/// is not open) and a line per port, never a signal (134) or an unhandled exception.
/// </summary>
public sealed class ProbeUdpStressTests
{
    [Fact]
    public async Task Three_concurrent_udp_probes_of_a_port_range_on_ipv6_loopback_all_finish_cleanly()
    {
        const int rounds = 3, ports = 20000;
        for (int round = 0; round < rounds; round++)
        {
            NsockResult[] runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
                Nsock.RunAsync(new[] { "probe", "::1", "-p", $"1-{ports}", "--udp" }, null, TimeSpan.FromSeconds(120))));

            foreach (NsockResult r in runs)
            {
                Assert.True(r.ExitCode == 8, $"round {round}: {r}");
                Assert.DoesNotContain("Unhandled", r.StdErr);
                Assert.Equal(ports, r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            }
        }
    }
}
