using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>Python 3 stdlib peers (Peers/*.py): socketserver echo server, socket clients over TCP and UDP.</summary>
public class PythonInteropTests
{
    [Fact]
    public async Task A_python_client_gets_a_mebibyte_back_from_an_nsock_echo_listener()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        using ChildProcess python = Peers.Python("echo_client.py", "127.0.0.1", echo.Port.ToString());

        await python.WriteStdInAsync(payload);

        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(python.StdOut.Bytes));
    }

    [Fact]
    public async Task A_python_client_sends_into_nsock_listen_and_receives_nsock_stdin_back()
    {
        byte[] up = Data.Random(400_000);
        byte[] down = Data.Random(100_000);
        using RunningListener nsock = await Nsock.ListenAsync("127.0.0.1:0");
        using ChildProcess python = Peers.Python("echo_client.py", "127.0.0.1", nsock.Port.ToString());

        Task feedPython = python.WriteStdInAsync(up);
        await nsock.Process.WriteStdInAsync(down);
        await feedPython;

        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal(0, await nsock.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(up), Data.Sha256(nsock.Process.StdOut.Bytes));
        Assert.Equal(Data.Sha256(down), Data.Sha256(python.StdOut.Bytes));
    }

    [Fact]
    public async Task Nsock_send_with_reply_gets_its_file_back_from_a_python_echo_server()
    {
        using var dir = new TempDir();
        byte[] payload = Data.Random(256 * 1024);
        using Peers.Server python = await Peers.PythonEchoServerAsync();

        NsockResult r = await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{python.Port}", "--reply" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Nsock_connect_round_trips_through_a_python_echo_server_over_ipv6()
    {
        byte[] payload = Data.Random(512 * 1024);
        using Peers.Server python = await Peers.PythonEchoServerAsync("::1");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"[::1]:{python.Port}" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task A_python_udp_client_gets_each_datagram_echoed_by_nsock()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");
        using ChildProcess python = Peers.Python("udp_client.py", "127.0.0.1", echo.Port.ToString(), "one", "two", "three");

        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal(new[] { "one", "two", "three" }, python.StdOut.Lines);
    }

    [Fact]
    public async Task A_python_udp_client_gets_its_datagram_echoed_by_nsock_over_ipv6()
    {
        using RunningListener echo = await Nsock.ListenAsync("[::1]:0", "--udp", "--echo");
        using ChildProcess python = Peers.Python("udp_client.py", "::1", echo.Port.ToString(), Encoding.ASCII.GetString(new byte[] { 0x68, 0x69 }));

        Assert.Equal(0, await python.WaitForExitAsync());
        Assert.Equal(new[] { "hi" }, python.StdOut.Lines);
    }
}
