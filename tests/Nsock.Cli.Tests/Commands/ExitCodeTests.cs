using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>The binary's exit codes and the one stderr line that explains each failure.</summary>
public class ExitCodeTests
{
    [Theory]
    [InlineData("connect")]
    [InlineData("send")]
    [InlineData("recv")]
    public async Task A_closed_port_is_refused_with_exit_code_3(string command)
    {
        int port = FreePort.Closed();

        NsockResult r = await Nsock.RunAsync(command, $"127.0.0.1:{port}");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"connect to 127.0.0.1:{port}: connection refused", r.StdErr);
        Assert.Empty(r.StdOut);
    }

    [Fact]
    public async Task A_missing_unix_socket_is_refused_with_exit_code_3()
    {
        using var dir = new TempDir();

        NsockResult r = await Nsock.RunAsync("send", "unix:" + dir.File("none.sock"), "hi");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("no socket file", r.StdErr);
    }

    [Fact]
    public async Task Recv_from_a_listener_that_never_sends_times_out_with_exit_code_4()
    {
        // A relay listener whose stdin stays open sends nothing and never closes.
        using RunningListener silent = await Nsock.ListenAsync("127.0.0.1:0");

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{silent.Port}", "--timeout", "1");

        Assert.Equal(4, r.ExitCode);
        Assert.Contains("timed out after 1s of silence waiting for the peer to close", r.StdErr);
    }

    [Fact]
    public async Task Connect_to_a_listener_with_a_full_backlog_times_out_with_exit_code_4()
    {
        // Nobody accepts and the accept queue is full, so the kernel drops further SYNs: the connect hangs.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        int port = ((IPEndPoint)full.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try { s.Connect(IPAddress.Loopback, port); } catch (SocketException) { /* in progress */ }
                fillers.Add(s);
            }
            await Task.Delay(200);

            NsockResult r = await Nsock.RunAsync("connect", $"127.0.0.1:{port}", "-w", "1");

            Assert.Equal(4, r.ExitCode);
            Assert.Contains($"connect to 127.0.0.1:{port} timed out after 1s", r.StdErr);
        }
        finally
        {
            foreach (Socket s in fillers) s.Dispose();
        }
    }

    [Theory]
    [InlineData("connect", "nonexistent.invalid:80")]
    [InlineData("send", "nonexistent.invalid:80")]
    [InlineData("recv", "nonexistent.invalid:80")]
    [InlineData("resolve", "nonexistent.invalid")]
    public async Task A_name_in_the_invalid_domain_is_not_found_with_exit_code_5(string command, string target)
    {
        NsockResult r = await Nsock.RunAsync(command, target);

        Assert.Equal(5, r.ExitCode);
        Assert.Contains("name 'nonexistent.invalid'", r.StdErr);
        Assert.Contains("not found", r.StdErr);
    }

    [Theory]
    [InlineData("connect", "127.0.0.1:70000", "port 70000 is out of range")]
    [InlineData("listen", "tcp://127.0.0.1", "port is missing")]
    [InlineData("send", "gopher://127.0.0.1:70", "unknown scheme 'gopher'")]
    public async Task Bad_input_exits_2_before_touching_the_network(string command, string endpoint, string message)
    {
        NsockResult r = await Nsock.RunAsync(command, endpoint);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
    }

    [Fact]
    public async Task An_unknown_option_exits_2_and_points_to_help()
    {
        NsockResult r = await Nsock.RunAsync("recv", "127.0.0.1:9", "--frobnicate");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--frobnicate", r.StdErr);
        Assert.Contains("Try 'nsock recv --help'.", r.StdErr);
    }

    [Fact]
    public async Task A_timeout_that_is_not_a_number_exits_2_instead_of_crashing()
    {
        NsockResult r = await Nsock.RunAsync("recv", "127.0.0.1:9", "-w", "soon");

        Assert.DoesNotContain("Unhandled exception", r.StdErr);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("soon", r.StdErr);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Listening_on_a_port_another_listener_holds_fails_with_an_io_error(string transport)
    {
        // Two listeners on one port would split the clients (or datagrams) between them without a word.
        using RunningListener first = await Nsock.ListenAsync($"{transport}://127.0.0.1:0", "--echo");

        using ChildProcess second = Nsock.Start("listen", $"{transport}://127.0.0.1:{first.Port}", "--echo");

        Assert.True(await second.ExitsWithinAsync(TimeSpan.FromSeconds(3)),
            $"a second listener bound {transport} port {first.Port} beside the first: {second.StdErr.Text}");
        Assert.Equal(1, await second.WaitForExitAsync());
        Assert.Contains($"listen on {transport}://127.0.0.1:{first.Port}: address already in use", second.StdErr.Text);
    }
}
