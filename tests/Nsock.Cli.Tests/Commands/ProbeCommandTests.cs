using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>nsock probe: a line per port, and exit codes 0 (all open), 8 (one is not), 4 (a --wait ran out), 2 (bad input).</summary>
public class ProbeCommandTests
{
    private static Socket Listen()
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.Listen(16);
        return s;
    }

    private static int PortOf(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

    [Fact]
    public async Task Probe_exits_0_when_every_port_is_open_and_8_when_one_is_not()
    {
        using Socket open = Listen();
        int closed = FreePort.Closed();

        NsockResult all = await Nsock.RunAsync("probe", "127.0.0.1", "-p", $"{PortOf(open)}");
        Assert.Equal(0, all.ExitCode);
        Assert.Contains($"127.0.0.1 {PortOf(open)}/tcp open", all.Out);

        NsockResult some = await Nsock.RunAsync("probe", "127.0.0.1", "-p", $"{PortOf(open)},{closed}");
        Assert.Equal(8, some.ExitCode);
        Assert.Contains($"{closed}/tcp closed", some.Out);
    }

    [Fact]
    public async Task Probe_wait_exits_4_when_the_timeout_passes_first_and_0_once_open()
    {
        using Socket open = Listen();

        NsockResult ranOut = await Nsock.RunAsync("probe", "127.0.0.1", "-p", $"{FreePort.Closed()}", "--wait", "--timeout", "0.5");
        Assert.Equal(4, ranOut.ExitCode);

        NsockResult up = await Nsock.RunAsync("probe", "127.0.0.1", "-p", $"{PortOf(open)}", "--wait", "--timeout", "0");
        Assert.Equal(0, up.ExitCode);
    }

    [Theory]
    [InlineData("--timeout must be more than 0 seconds for a probe (0, no limit, is for --wait only)", "--timeout", "0")]
    [InlineData("--parallel must be 1-100000, not 0", "--parallel", "0")]
    [InlineData("-4 and -6 exclude each other", "-4", "-6")]
    [InlineData("127.0.0.0/8 holds 16777216 addresses", "127.0.0.0/8")]
    public async Task Probe_bad_input_exits_2_naming_the_option(string message, params string[] args)
    {
        NsockResult r = await Nsock.RunAsync(["probe", "127.0.0.1", "-p", "1", .. args]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
    }
}
