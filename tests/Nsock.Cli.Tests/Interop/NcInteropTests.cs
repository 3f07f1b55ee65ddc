using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>OpenBSD netcat as client and as server for nsock, both directions, bytes checked by SHA-256.</summary>
public class NcInteropTests
{
    [Fact]
    public async Task A_file_sent_by_nc_into_nsock_listen_arrives_byte_exact()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using RunningListener nsock = await Nsock.ListenAsync("127.0.0.1:0");
        using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", nsock.Port.ToString() });

        await nc.WriteStdInAsync(payload); // -N: nc half-closes when its input ends
        await nsock.Process.StdOut.WaitForBytesAsync(payload.Length);
        nsock.Process.CloseStdIn(); // nsock has nothing to send: it half-closes too and both exit

        Assert.Equal(0, await nsock.Process.WaitForExitAsync());
        Assert.Equal(0, await nc.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(nsock.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Nc_gets_its_bytes_back_from_an_nsock_echo_listener()
    {
        byte[] payload = Data.Random(512 * 1024);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        using ChildProcess nc = ChildProcess.Start("nc", new[] { "-N", "127.0.0.1", echo.Port.ToString() });

        await nc.WriteStdInAsync(payload);

        Assert.Equal(0, await nc.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(nc.StdOut.Bytes));
    }

    [Fact]
    public async Task Nsock_send_delivers_stdin_to_nc_listen_byte_exact()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using Peers.Server nc = await Peers.NcListenAsync();
        nc.Process.CloseStdIn();

        NsockResult r = await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{nc.Port}" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, await nc.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(nc.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Nsock_connect_and_nc_listen_exchange_bytes_both_ways()
    {
        byte[] up = Data.Random(300_000);
        byte[] down = Data.Random(200_000);
        using Peers.Server nc = await Peers.NcListenAsync("-N");

        using ChildProcess nsock = Nsock.Start("connect", $"127.0.0.1:{nc.Port}");
        Task feedNc = nc.Process.WriteStdInAsync(down);
        await nsock.WriteStdInAsync(up);
        await feedNc;

        Assert.Equal(0, await nsock.WaitForExitAsync());
        Assert.Equal(0, await nc.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(up), Data.Sha256(nc.Process.StdOut.Bytes));
        Assert.Equal(Data.Sha256(down), Data.Sha256(nsock.StdOut.Bytes));
    }

    [Fact]
    public async Task Nsock_recv_takes_a_file_served_by_nc_listen_into_an_out_file()
    {
        using var dir = new TempDir();
        byte[] payload = Data.Random(800_000);
        using Peers.Server nc = await Peers.NcListenAsync("-N");
        Task feed = nc.Process.WriteStdInAsync(payload);

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{nc.Port}", "--out", dir.File("from-nc.bin"));

        await feed;
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(dir.File("from-nc.bin")));
    }

    [Fact]
    public async Task Nc_udp_datagrams_are_echoed_by_an_nsock_udp_listener()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--udp", "--echo");
        using ChildProcess nc = ChildProcess.Start("nc", new[] { "-u", "127.0.0.1", echo.Port.ToString() });

        await nc.WriteStdInAsync(System.Text.Encoding.ASCII.GetBytes("udp via nc\n"), close: false);
        await nc.StdOut.WaitForLineAsync(l => l == "udp via nc");

        Assert.Equal("udp via nc\n", nc.StdOut.Text);
    }
}
