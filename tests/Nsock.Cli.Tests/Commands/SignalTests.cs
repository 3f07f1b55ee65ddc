using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>Ctrl+C (SIGINT) and SIGTERM stop nsock: it closes its sockets and exits 130 or 143.</summary>
public class SignalTests
{
    private const int SIGINT = 2;
    private const int SIGTERM = 15;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(SIGINT, 130)]
    [InlineData(SIGTERM, 143)]
    public async Task A_signal_stops_an_echo_listener_with_its_exit_code_and_frees_the_port(int signal, int expected)
    {
        using ChildProcess p = Nsock.StartWithDefaultSignals("listen", "127.0.0.1:0", "--echo", "--json");
        int port = await ReadyPortAsync(p);
        byte[] back = await Loopback.RoundTripAsync(port, Encoding.ASCII.GetBytes("alive"));
        Assert.Equal("alive", Encoding.ASCII.GetString(back));

        Send(p, signal);

        Assert.True(await p.ExitsWithinAsync(Grace), $"nsock did not exit within {Grace.TotalSeconds}s of signal {signal}");
        Assert.Equal(expected, p.ExitCode);
        var refused = await Assert.ThrowsAsync<SocketException>(() => Loopback.ConnectAsync(port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task Ctrl_c_stops_an_echo_listener_that_is_serving_a_client_and_closes_that_client()
    {
        using ChildProcess p = Nsock.StartWithDefaultSignals("listen", "127.0.0.1:0", "--echo", "--json");
        int port = await ReadyPortAsync(p);
        using Socket client = await Loopback.ConnectAsync(port);
        await client.SendAsync(Encoding.ASCII.GetBytes("x"));
        await Loopback.ReadExactlyAsync(client, 1);

        Send(p, SIGINT);

        Assert.True(await p.ExitsWithinAsync(Grace));
        Assert.Equal(130, p.ExitCode);
        Assert.Empty(await ReadUntilClosedAsync(client)); // the client sees the connection end, not a hang
    }

    [Fact]
    public async Task Ctrl_c_stops_a_connect_relay_whose_stdin_is_still_open()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        using ChildProcess p = Nsock.StartWithDefaultSignals("connect", $"127.0.0.1:{echo.Port}");
        await p.WriteStdInAsync(Encoding.ASCII.GetBytes("ping"), close: false);
        await p.StdOut.WaitForBytesAsync(4);

        Send(p, SIGINT);

        Assert.True(await p.ExitsWithinAsync(Grace));
        Assert.Equal(130, p.ExitCode);
        Assert.Equal("ping", p.StdOut.Text);
    }

    [Fact]
    public async Task Ctrl_c_during_recv_out_keeps_what_arrived_as_a_partial_file()
    {
        using var dir = new TempDir();
        string target = dir.File("download.bin");
        using var server = Loopback.Serve(async s =>
        {
            await s.SendAsync(Encoding.ASCII.GetBytes("first part"));
            await Task.WhenAny(s.ReceiveAsync(new byte[1]), Task.Delay(10_000)); // until nsock goes away
        });
        using ChildProcess p = Nsock.StartWithDefaultSignals("recv", $"127.0.0.1:{server.Port}", "--out", target, "--timeout", "0");
        var deadline = DateTime.UtcNow + ChildProcess.DefaultTimeout;
        while (!Array.Exists(System.IO.Directory.GetFiles(dir.Path), f => new System.IO.FileInfo(f).Length == 10) && DateTime.UtcNow < deadline) await Task.Delay(20);

        Send(p, SIGINT);

        Assert.True(await p.ExitsWithinAsync(Grace));
        Assert.Equal(130, p.ExitCode);
        Assert.False(System.IO.File.Exists(target));
        Assert.Equal("first part", await System.IO.File.ReadAllTextAsync(target + ".partial"));
    }

    [Fact]
    public async Task Sigterm_stops_a_relay_listener_waiting_for_its_first_client()
    {
        using ChildProcess p = Nsock.StartWithDefaultSignals("listen", "127.0.0.1:0", "--json");
        string ready = await p.StdErr.WaitForLineAsync(l => l.Contains("\"event\":\"ready\""));
        Assert.Contains("\"port\":", ready);

        Send(p, SIGTERM);

        Assert.True(await p.ExitsWithinAsync(Grace));
        Assert.Equal(143, p.ExitCode);
    }

    private static async Task<int> ReadyPortAsync(ChildProcess p)
    {
        string line = await p.StdOut.WaitForLineAsync(l => l.Contains("\"event\":\"ready\""));
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("port").GetInt32();
    }

    private static async Task<byte[]> ReadUntilClosedAsync(Socket client)
    {
        try
        {
            return await Loopback.ReadToEndAsync(client);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return Array.Empty<byte>();
        }
    }

    private static void Send(ChildProcess p, int signal)
    {
        Assert.False(p.HasExited, "nsock exited before it was signalled");
        Assert.Equal(0, kill(p.Id, signal));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
