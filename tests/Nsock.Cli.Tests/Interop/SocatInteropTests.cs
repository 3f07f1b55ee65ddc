using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>socat as client and as server for nsock, both directions, bytes checked by SHA-256.</summary>
public class SocatInteropTests
{
    [Fact]
    public async Task Nsock_connect_half_closes_through_a_socat_pipe_echo_and_gets_a_mebibyte_back()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using Peers.Server socat = await Peers.SocatListenAsync("-t", "5", "TCP-LISTEN:0,bind=127.0.0.1", "PIPE");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{socat.Port}" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Nsock_send_delivers_stdin_to_a_socat_listener_byte_exact()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using Peers.Server socat = await Peers.SocatListenAsync("-u", "TCP-LISTEN:0,bind=127.0.0.1", "STDOUT");

        NsockResult r = await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{socat.Port}" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, await socat.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(socat.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Nsock_recv_reads_what_a_socat_listener_serves_until_it_closes()
    {
        byte[] payload = Data.Random(600_000);
        using Peers.Server socat = await Peers.SocatListenAsync("-u", "STDIN", "TCP-LISTEN:0,bind=127.0.0.1");
        Task feed = socat.Process.WriteStdInAsync(payload);

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{socat.Port}");

        await feed;
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task A_socat_client_sends_a_mebibyte_into_nsock_listen_byte_exact()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using RunningListener nsock = await Nsock.ListenAsync("127.0.0.1:0");
        using ChildProcess socat = ChildProcess.Start("socat", new[] { "-u", "STDIN", $"TCP:127.0.0.1:{nsock.Port}" });

        await socat.WriteStdInAsync(payload);
        await nsock.Process.StdOut.WaitForBytesAsync(payload.Length);
        nsock.Process.CloseStdIn();

        Assert.Equal(0, await socat.WaitForExitAsync());
        Assert.Equal(0, await nsock.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(nsock.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task A_socat_client_gets_its_bytes_back_from_an_nsock_echo_listener()
    {
        byte[] payload = Data.Random(512 * 1024);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        using ChildProcess socat = ChildProcess.Start("socat", new[] { "-t", "5", "STDIO", $"TCP:127.0.0.1:{echo.Port}" });

        await socat.WriteStdInAsync(payload);

        Assert.Equal(0, await socat.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(socat.StdOut.Bytes));
    }

    [Fact]
    public async Task A_socat_unix_client_gets_its_bytes_back_from_an_nsock_unix_echo_listener()
    {
        using var dir = new TempDir();
        string path = dir.File("echo.sock");
        byte[] payload = Data.Random(256 * 1024);
        using RunningListener echo = await Nsock.ListenAsync("unix:" + path, "--echo");
        using ChildProcess socat = ChildProcess.Start("socat", new[] { "-t", "5", "STDIO", "UNIX-CONNECT:" + path });

        await socat.WriteStdInAsync(payload);

        Assert.Equal(0, await socat.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(socat.StdOut.Bytes));
    }

    [Fact]
    public async Task A_socat_udp_client_gets_its_datagram_echoed_by_nsock()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");
        using ChildProcess socat = ChildProcess.Start("socat", new[] { "-t", "1", "STDIO", $"UDP:127.0.0.1:{echo.Port}" });

        await socat.WriteStdInAsync(Encoding.ASCII.GetBytes("datagram via socat"), close: false);
        await socat.StdOut.WaitForBytesAsync(18);

        Assert.Equal("datagram via socat", socat.StdOut.Text);
    }
}
