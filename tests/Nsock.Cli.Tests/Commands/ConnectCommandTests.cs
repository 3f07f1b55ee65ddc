using System;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary><c>nsock connect</c>: stdin to the socket, the socket to stdout, with half-close when stdin ends.</summary>
public class ConnectCommandTests
{
    [Fact]
    public async Task A_mebibyte_piped_through_a_python_echo_peer_comes_back_byte_exact_after_half_close()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using Peers.Server echo = await Peers.PythonEchoServerAsync();

        // The echo peer only closes after it sees nsock's half-close, so nsock must shut down its write side at
        // stdin's end and keep reading until every echoed byte is in.
        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{echo.Port}" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(payload.Length, r.StdOut.Length);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Stdin_redirected_from_a_regular_file_round_trips_byte_exact()
    {
        // nsock ... < file puts a seekable file on fd 0, which takes the zero-copy path instead of the read loop.
        using var dir = new TempDir();
        byte[] payload = Data.Random(300_000);
        string file = dir.File("upload.bin");
        await System.IO.File.WriteAllBytesAsync(file, payload);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunWithStdinFromFileAsync(file, "connect", $"127.0.0.1:{echo.Port}");

        Assert.Equal("", r.StdErr);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Connect_to_an_nsock_echo_listener_round_trips_random_bytes()
    {
        byte[] payload = Data.Random(256 * 1024);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{echo.Port}" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Receive_only_prints_what_the_peer_sends_and_sends_nothing()
    {
        byte[] fromPeer = Data.Random(100_000);
        byte[]? gotByPeer = null;
        using var server = Loopback.Serve(async s =>
        {
            await s.SendAsync(fromPeer);
            s.Shutdown(SocketShutdown.Send);
            gotByPeer = await Loopback.ReadToEndAsync(s);
        });

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{server.Port}", "--recv-only" }, Encoding.ASCII.GetBytes("must not be sent"));

        await server.WaitAsync();
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(fromPeer), Data.Sha256(r.StdOut));
        Assert.Empty(gotByPeer!);
    }

    [Fact]
    public async Task Send_only_sends_stdin_and_discards_what_the_peer_sends()
    {
        byte[] payload = Data.Random(200_000);
        byte[]? gotByPeer = null;
        using var server = Loopback.Serve(async s =>
        {
            await s.SendAsync(Encoding.ASCII.GetBytes("noise that nsock must not print"));
            gotByPeer = await Loopback.ReadToEndAsync(s);
            s.Shutdown(SocketShutdown.Send);
        });

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{server.Port}", "--send-only" }, payload);

        await server.WaitAsync();
        Assert.Equal(0, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(gotByPeer!));
    }

    [Fact]
    public async Task No_shutdown_keeps_the_write_side_open_after_stdin_ends()
    {
        bool sawEndOfStream = true;
        using var server = Loopback.Serve(async s =>
        {
            byte[] hello = await Loopback.ReadExactlyAsync(s, 5);
            Assert.Equal("hello", Encoding.ASCII.GetString(hello));
            // With --no-shutdown nsock's stdin has ended but no FIN arrives: the read stays pending.
            Task<int> next = s.ReceiveAsync(new byte[16]);
            sawEndOfStream = await Task.WhenAny(next, Task.Delay(500)) == next;
            await s.SendAsync(Encoding.ASCII.GetBytes("bye"));
            s.Shutdown(SocketShutdown.Send);
        });

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{server.Port}", "--no-shutdown", "-q", "5" }, Encoding.ASCII.GetBytes("hello"));

        await server.WaitAsync();
        Assert.False(sawEndOfStream, "the peer saw a FIN although --no-shutdown was given");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("bye", r.Out);
    }

    [Fact]
    public async Task Wait_after_eof_exits_cleanly_when_the_peer_never_closes()
    {
        using RunningListener silent = await Nsock.ListenAsync("127.0.0.1:0"); // relay, stdin open: never closes

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{silent.Port}", "-q", "0.3" }, Encoding.ASCII.GetBytes("hi"));

        Assert.Equal(0, r.ExitCode);
        await silent.Process.StdOut.WaitForBytesAsync(2);
        Assert.Equal("hi", silent.Process.StdOut.Text);
    }

    [Fact]
    public async Task A_peer_that_stays_silent_after_stdin_ends_times_out_with_exit_code_4()
    {
        using RunningListener silent = await Nsock.ListenAsync("127.0.0.1:0");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{silent.Port}", "-w", "1" }, Encoding.ASCII.GetBytes("anyone?"));

        Assert.Equal(4, r.ExitCode);
        Assert.Contains("the peer sent nothing for 1s", r.StdErr);
    }

    [Fact]
    public async Task A_peer_that_resets_the_connection_is_an_io_error()
    {
        using var server = Loopback.Serve(async s =>
        {
            await Loopback.ReadExactlyAsync(s, 4);
            s.LingerState = new LingerOption(true, 0); // close with RST
            s.Close();
        });

        using ChildProcess p = Nsock.Start("connect", $"127.0.0.1:{server.Port}");
        await p.WriteStdInAsync(Encoding.ASCII.GetBytes("ping"), close: false);
        await server.WaitAsync();
        int code = await p.WaitForExitAsync();

        Assert.Equal(1, code);
        Assert.Contains("connection reset by peer", p.StdErr.Text);
    }
}
