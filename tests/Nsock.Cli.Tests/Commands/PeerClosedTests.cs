using System;
using System.Diagnostics;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// The peer closes while stdin is a pipe that stays open (<c>sleep 100 | nsock connect</c>): nsock ends about half a
/// second later (socat -t 0.5), instead of waiting for stdin to end.
/// </summary>
public class PeerClosedTests
{
    [Theory]
    [InlineData("connect")]
    [InlineData("connect", "--no-shutdown")]
    [InlineData("send")]
    public async Task Nsock_ends_shortly_after_the_peer_closes_though_stdin_stays_open(string command, string? option = null)
    {
        using var peer = Loopback.Serve(async s =>
        {
            await s.SendAsync(Encoding.ASCII.GetBytes("bye\n"));
            s.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        });
        string[] args = option is null ? new[] { command, $"127.0.0.1:{peer.Port}" } : new[] { command, $"127.0.0.1:{peer.Port}", option };
        if (command == "send") args = new[] { command, $"127.0.0.1:{peer.Port}", "--reply" };
        using ChildProcess p = Nsock.Start(args); // stdin: a pipe this test never closes

        var clock = Stopwatch.StartNew();
        bool exited = await p.ExitsWithinAsync(TimeSpan.FromSeconds(5));
        clock.Stop();

        Assert.True(exited, "nsock kept running after the peer closed, waiting for stdin");
        Assert.Equal(0, await p.WaitForExitAsync());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.4), $"ended after {clock.Elapsed}: before the grace");
        await p.StdOut.WaitForBytesAsync(4);
        Assert.Equal("bye\n", p.StdOut.Text);
    }

    [Fact]
    public async Task Input_that_is_still_being_sent_is_not_cut_off_by_the_peer_s_half_close()
    {
        // The peer half-closes at once but reads everything: a steady stream of input must all arrive.
        byte[] payload = Data.Random(4 * 1024 * 1024);
        byte[]? got = null;
        using var peer = Loopback.Serve(async s =>
        {
            s.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            got = await Loopback.ReadToEndAsync(s);
        });

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{peer.Port}" }, payload);
        await peer.WaitAsync();

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(payload.Length, got!.Length);
    }
}
