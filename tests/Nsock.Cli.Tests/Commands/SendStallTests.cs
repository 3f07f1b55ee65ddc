using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>A peer that accepts and never reads: the sender gives up after --timeout, saying it was sending.</summary>
public class SendStallTests
{
    // Far more than loopback's socket buffers hold, so the sender must wait on the peer.
    private const long FileSize = 256L * 1024 * 1024;

    [Theory]
    [InlineData("--file")]
    [InlineData("stdin")]
    public async Task Send_to_a_peer_that_never_reads_times_out_with_exit_4_while_sending(string how)
    {
        using var dir = new TempDir();
        string file = dir.File("big.bin");
        using (var f = new FileStream(file, FileMode.Create)) f.SetLength(FileSize);
        using var release = new CancellationTokenSource();
        using var peer = Loopback.Serve(async s =>
        {
            s.ReceiveBufferSize = 4096;
            try { await Task.Delay(TimeSpan.FromSeconds(15), release.Token); } catch (OperationCanceledException) { }
        });

        var clock = Stopwatch.StartNew();
        NsockResult r = how == "--file"
            ? await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{peer.Port}", "--file", file, "-w", "1" }, null, TimeSpan.FromSeconds(12))
            : await Nsock.RunWithStdinFromFileAsync(file, "send", $"127.0.0.1:{peer.Port}", "-w", "1");
        clock.Stop();
        release.Cancel();

        Assert.Equal(4, r.ExitCode);
        Assert.Contains("sending", r.StdErr);
        Assert.DoesNotContain("receiving", r.StdErr);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }
}
