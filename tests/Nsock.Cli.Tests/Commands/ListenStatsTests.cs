using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary><c>nsock listen --stats [SECONDS]</c>: the listener's counters every SECONDS, on SIGUSR1 and at exit.</summary>
public class ListenStatsTests
{
    private const int SIGTERM = 15;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Listen_stats_1_json_reports_the_counters_every_second_with_the_right_counts()
    {
        using ChildProcess p = Nsock.StartWithDefaultSignals("listen", "127.0.0.1:0", "--echo", "--json", "--stats", "1");
        int port = await ReadyPortAsync(p);
        Assert.Equal("hello", Encoding.ASCII.GetString(await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("hello"))));
        Assert.Equal("abc", Encoding.ASCII.GetString(await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("abc"))));
        await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\"") && l.Contains("\"client\":2"));

        // The next periodic report after both clients left carries them both.
        string line = await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"stats\"") && l.Contains("\"clients\":2"));
        using (JsonDocument doc = JsonDocument.Parse(line))
        {
            JsonElement s = doc.RootElement;
            Assert.Equal(0, s.GetProperty("clientsNow").GetInt64());
            Assert.Equal(8, s.GetProperty("bytesReceived").GetInt64());
            Assert.Equal(8, s.GetProperty("bytesSent").GetInt64());
            Assert.Equal(0, s.GetProperty("errors").GetInt64());
            Assert.False(s.GetProperty("final").GetBoolean());
        }

        Send(p, SIGTERM);
        Assert.True(await p.ExitsWithinAsync(Grace));
        Assert.Equal(143, p.ExitCode);
        // Waited for, not looked up: the process may exit before this side has read its last lines.
        string final = await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"stats\"") && l.Contains("\"final\":true"));
        Assert.Contains("\"bytesReceived\":8", final);
    }

    [Fact]
    public async Task Sigusr1_asks_a_listener_for_its_stats_now_and_it_keeps_serving()
    {
        // An hour's interval: the only report before the end is the one SIGUSR1 asks for.
        using ChildProcess p = Nsock.StartWithDefaultSignals("listen", "127.0.0.1:0", "--echo", "--json", "--stats", "3600");
        int port = await ReadyPortAsync(p);
        Assert.Equal("four", Encoding.ASCII.GetString(await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("four"))));
        await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"closed\""));

        Send(p, SigUsr1);

        string line = await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"stats\""));
        Assert.Contains("\"clients\":1", line);
        Assert.Contains("\"bytesReceived\":4", line);
        Assert.Contains("\"final\":false", line);
        // Still there, still serving.
        Assert.Equal("more", Encoding.ASCII.GetString(await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("more"))));
        Assert.False(p.HasExited);
        Send(p, SIGTERM);
        Assert.True(await p.ExitsWithinAsync(Grace));
        Assert.Equal(143, p.ExitCode);
    }

    [Fact]
    public async Task Listen_stats_without_json_prints_a_final_line_on_stderr_at_exit()
    {
        using ChildProcess p = Nsock.StartWithDefaultSignals("listen", "127.0.0.1:0", "--echo", "--stats");
        string ready = await p.StdErr.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal));
        int port = int.Parse(ready.Substring(ready.LastIndexOf(':') + 1), System.Globalization.CultureInfo.InvariantCulture);
        await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("xy"));

        Send(p, SIGTERM);
        Assert.True(await p.ExitsWithinAsync(Grace));
        string final = await p.StdErr.WaitForLineAsync(l => l.Contains("final stats:", StringComparison.Ordinal));
        Assert.Contains("1 in all", final);
        Assert.Contains("2 bytes in, 2 out", final);
    }

    [Fact]
    public async Task Listen_stats_0_is_refused_naming_the_option()
    {
        NsockResult r = await Nsock.RunAsync(new[] { "listen", "127.0.0.1:0", "--echo", "--stats", "0" });
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--stats must be more than 0 seconds", r.StdErr);
    }

    private static int SigUsr1 => OperatingSystem.IsLinux() ? 10 : 30;

    private static async Task<int> ReadyPortAsync(ChildProcess p)
    {
        string line = await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"ready\""));
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("port").GetInt32();
    }

    private static void Send(ChildProcess p, int signal)
    {
        Assert.False(p.HasExited, "nsock exited before it was signalled");
        Assert.Equal(0, kill(p.Id, signal));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
