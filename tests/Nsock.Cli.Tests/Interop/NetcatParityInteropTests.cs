using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>The netcat options against the real thing: ncat, OpenBSD nc and socat as the far side.</summary>
public class NetcatParityInteropTests
{
    // ncat -v -l on a port that was free a moment ago; returns once ncat says it is listening.
    private static async Task<Peers.Server> NcatListenAsync(params string[] options)
    {
        int port = FreePort.Tcp();
        ChildProcess p = ChildProcess.Start("ncat", options.Concat(new[] { "-v", "-l", "127.0.0.1", port.ToString() }));
        try
        {
            await p.StdErr.WaitForLineAsync(l => l.Contains("Listening on", StringComparison.Ordinal));
            return new Peers.Server(p, port);
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    [Fact]
    public async Task Ncat_sees_nsock_connect_come_from_the_source_port_with_cr_lf_lines()
    {
        int source = FreePort.Tcp();
        using Peers.Server ncat = await NcatListenAsync();
        ncat.Process.CloseStdIn();

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{ncat.Port}", "--source", $"127.0.0.1:{source}", "--crlf" }, Encoding.ASCII.GetBytes("EHLO nsock\nQUIT\n"));

        Assert.Equal(0, r.ExitCode);
        await ncat.Process.WaitForExitAsync();
        Assert.Contains($"Connection from 127.0.0.1:{source}.", ncat.Process.StdErr.Text);
        Assert.Equal("EHLO nsock\r\nQUIT\r\n", Encoding.ASCII.GetString(ncat.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Socat_logs_an_nsock_send_from_the_source_port_and_gets_the_bytes()
    {
        // (A probe ends with a reset at once: too soon for socat to name its peer. A send stays long enough.)
        int source = FreePort.Tcp();
        using Peers.Server socat = await Peers.SocatListenAsync("TCP-LISTEN:0,bind=127.0.0.1", "STDOUT");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{socat.Port}", "over socat", "-s", $":{source}");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, await socat.Process.WaitForExitAsync());
        Assert.Contains($"accepting connection from AF=2 127.0.0.1:{source}", socat.Process.StdErr.Text);
        Assert.Equal("over socat", Encoding.ASCII.GetString(socat.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Nc_listen_receives_every_line_of_an_nsock_send_with_a_delay_in_order()
    {
        using Peers.Server nc = await Peers.NcListenAsync();
        nc.Process.CloseStdIn();

        NsockResult r = await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{nc.Port}", "--delay", "0.05", "-C" }, Encoding.ASCII.GetBytes("1\n2\n3\n4\n"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, await nc.Process.WaitForExitAsync());
        Assert.Equal("1\r\n2\r\n3\r\n4\r\n", Encoding.ASCII.GetString(nc.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Nsock_listen_records_an_ncat_session_both_ways_in_a_hex_dump_and_an_output_file()
    {
        using var dir = new TempDir();
        using RunningListener nsock = await Nsock.ListenAsync("127.0.0.1:0", "--hex-dump", dir.File("l.hex"), "--output", dir.File("l.log"));
        using ChildProcess ncat = ChildProcess.Start("ncat", new[] { "127.0.0.1", nsock.Port.ToString() });

        await ncat.WriteStdInAsync(Encoding.ASCII.GetBytes("from ncat\n"), close: false);
        await nsock.Process.StdOut.WaitForBytesAsync(10);
        await nsock.Process.WriteStdInAsync(Encoding.ASCII.GetBytes("from nsock\n")); // and nsock's stdin ends: half-close
        await ncat.StdOut.WaitForBytesAsync(11);
        ncat.CloseStdIn();

        Assert.Equal(0, await nsock.Process.WaitForExitAsync());
        Assert.Equal(0, await ncat.WaitForExitAsync());
        string log = await File.ReadAllTextAsync(dir.File("l.log"));
        Assert.Matches(new Regex(@"^< \S+Z client 1 received 10 bytes at 0\nfrom ncat\n\n", RegexOptions.Multiline), log);
        Assert.Matches(new Regex(@"^> \S+Z client 1 sent 11 bytes at 0\nfrom nsock\n\n", RegexOptions.Multiline), log);
        string hex = await File.ReadAllTextAsync(dir.File("l.hex"));
        Assert.Contains("|from ncat.|", hex);
        Assert.Contains("|from nsock.|", hex);
    }

    [Fact]
    public async Task A_silent_ncat_client_is_closed_by_listen_idle_timeout_and_the_next_one_is_served()
    {
        using RunningListener nsock = await Nsock.ListenAsync("127.0.0.1:0", "--keep-open", "--idle-timeout", "0.5");
        using (ChildProcess quiet = ChildProcess.Start("ncat", new[] { "--recv-only", "127.0.0.1", nsock.Port.ToString() }))
        {
            // It sends nothing and is sent nothing: only nsock closing the connection ends it.
            Assert.Equal(0, await quiet.WaitForExitAsync());
        }
        await nsock.Process.StdErr.WaitForLineAsync(l => l.Contains("idle for 0.5s", StringComparison.Ordinal));

        using ChildProcess talker = ChildProcess.Start("ncat", new[] { "--send-only", "127.0.0.1", nsock.Port.ToString() });
        await talker.WriteStdInAsync(Encoding.ASCII.GetBytes("after the idle one\n"));
        await nsock.Process.StdOut.WaitForBytesAsync(19);

        Assert.Equal("after the idle one\n", Encoding.ASCII.GetString(nsock.Process.StdOut.Bytes));
    }
}
