using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>Unix domain sockets through <c>unix:/path</c> endpoints, each test in its own temporary folder.</summary>
public class UnixSocketTests
{
    [Fact]
    public async Task An_echo_listener_on_a_unix_socket_answers_send_with_reply()
    {
        using var dir = new TempDir();
        string path = dir.File("echo.sock");
        using RunningListener echo = await Nsock.ListenAsync("unix:" + path, "--echo");

        NsockResult r = await Nsock.RunAsync("send", "unix:" + path, "over unix", "--reply");

        Assert.Equal("unix", echo.Ready.GetProperty("transport").GetString());
        Assert.Equal("unix:" + path, echo.Ready.GetProperty("endpoint").GetString());
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("over unix", r.Out);
    }

    [Fact]
    public async Task Connect_over_a_unix_socket_round_trips_random_bytes_after_half_close()
    {
        using var dir = new TempDir();
        string path = dir.File("echo.sock");
        byte[] payload = Data.Random(512 * 1024);
        using RunningListener echo = await Nsock.ListenAsync("unix://" + path, "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", "unix:" + path }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task A_unix_relay_listener_writes_its_client_to_stdout_and_removes_the_socket_file()
    {
        using var dir = new TempDir();
        string path = dir.File("relay.sock");
        byte[] payload = Data.Random(100_000);
        using RunningListener relay = await Nsock.ListenAsync("unix:" + path);
        relay.Process.CloseStdIn();

        await Loopback.RoundTripAsync(new UnixDomainSocketEndPoint(path), payload);

        Assert.Equal(0, await relay.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(relay.Process.StdOut.Bytes));
        Assert.False(File.Exists(path), "the listener should remove the socket file it made");
    }

    [Fact]
    public async Task Recv_reads_a_unix_socket_until_the_delimiter()
    {
        using var dir = new TempDir();
        string path = dir.File("src.sock");
        using RunningListener source = await Nsock.ListenAsync("unix:" + path, "--send-only");

        Task<NsockResult> recv = Nsock.RunAsync("recv", "unix:" + path, "--until", "END");
        await source.Process.StdErr.WaitForLineAsync(l => l.Contains("\"event\":\"connected\""));
        await source.Process.WriteStdInAsync(Encoding.ASCII.GetBytes("line 1\nline 2\nEND trailing"), close: false);
        NsockResult r = await recv;

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("line 1\nline 2\nEND", r.Out);
    }

    [Fact]
    public async Task Listening_on_a_path_that_exists_fails_without_touching_the_file()
    {
        using var dir = new TempDir();
        string path = dir.File("taken");
        await File.WriteAllTextAsync(path, "not a socket");

        NsockResult r = await Nsock.RunAsync("listen", "unix:" + path, "--echo");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the path exists", r.StdErr);
        Assert.Equal("not a socket", await File.ReadAllTextAsync(path));
    }
}
