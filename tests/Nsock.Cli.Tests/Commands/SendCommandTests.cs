using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary><c>nsock send</c>: send TEXT, a file or stdin, half-close, and with --reply print the answer.</summary>
public class SendCommandTests
{
    [Fact]
    public async Task Send_text_with_reply_prints_exactly_what_the_echo_listener_returned()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{echo.Port}", "hello, wörld", "--reply");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("hello, wörld", r.Out);
    }

    [Fact]
    public async Task Newline_appends_one_line_feed_to_the_text()
    {
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{echo.Port}", "line", "--newline", "--reply");

        Assert.Equal("line\n", r.Out);
    }

    [Fact]
    public async Task Without_reply_nothing_is_printed_but_every_byte_arrives()
    {
        using RunningListener sink = await Nsock.ListenAsync("127.0.0.1:0", "--recv-only");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{sink.Port}", "quiet");

        Assert.Equal(0, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.Equal(0, await sink.Process.WaitForExitAsync());
        Assert.Equal("quiet", sink.Process.StdOut.Text);
    }

    [Fact]
    public async Task Send_file_delivers_a_mebibyte_byte_exact_to_a_relay_listener()
    {
        using var dir = new TempDir();
        byte[] payload = Data.Random(1024 * 1024);
        string file = dir.File("payload.bin");
        await File.WriteAllBytesAsync(file, payload);
        using RunningListener sink = await Nsock.ListenAsync("127.0.0.1:0", "--recv-only");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{sink.Port}", "--file", file);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(0, await sink.Process.WaitForExitAsync());
        Assert.Equal(Data.Sha256(payload), Data.Sha256(sink.Process.StdOut.Bytes));
    }

    [Fact]
    public async Task Send_file_with_reply_round_trips_through_an_echo_listener()
    {
        using var dir = new TempDir();
        byte[] payload = Data.Random(700_000);
        string file = dir.File("payload.bin");
        await File.WriteAllBytesAsync(file, payload);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{echo.Port}", "-f", file, "-r");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Without_text_or_file_send_reads_stdin()
    {
        byte[] payload = Data.Random(150_000);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{echo.Port}", "--reply" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Send_reads_stdin_redirected_from_a_regular_file()
    {
        using var dir = new TempDir();
        byte[] payload = Data.Random(64 * 1024);
        string file = dir.File("stdin.bin");
        await File.WriteAllBytesAsync(file, payload);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunWithStdinFromFileAsync(file, "send", $"127.0.0.1:{echo.Port}", "--reply");

        Assert.Equal("", r.StdErr);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Reply_stops_waiting_after_the_timeout_when_the_peer_never_closes()
    {
        using var server = Loopback.Serve(async s =>
        {
            await Loopback.ReadToEndAsync(s);
            await s.SendAsync(Encoding.ASCII.GetBytes("partial answer"));
            await Task.Delay(5000); // stays open longer than nsock waits
        });

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{server.Port}", "question", "--reply", "-w", "1", "-v");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("partial answer", r.Out);
        Assert.Contains("stopped waiting: peer did not close", r.StdErr);
    }

    [Fact]
    public async Task Send_waits_for_the_peer_to_take_everything_before_exiting()
    {
        // The peer reads slowly; nsock must not exit (and reset the connection) before the last byte is read.
        byte[] payload = Data.Random(2 * 1024 * 1024);
        byte[]? got = null;
        using var server = Loopback.Serve(async s =>
        {
            await Task.Delay(300);
            got = await Loopback.ReadToEndAsync(s);
            s.Shutdown(SocketShutdown.Send);
        });

        NsockResult r = await Nsock.RunAsync(new[] { "send", $"127.0.0.1:{server.Port}" }, payload);

        await server.WaitAsync();
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(got!));
    }
}
