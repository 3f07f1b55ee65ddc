using System;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary><c>nsock recv</c>: read until end of stream, --bytes, --until or the timeout; to stdout, --out or --hex.</summary>
public class RecvCommandTests
{
    [Fact]
    public async Task Recv_prints_a_mebibyte_byte_exact_until_the_peer_closes()
    {
        byte[] payload = Data.Random(1024 * 1024);
        using var server = Loopback.Serve(s => SendAndClose(s, payload));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
    }

    [Fact]
    public async Task Bytes_stops_after_exactly_that_many_bytes_while_the_peer_stays_open()
    {
        byte[] payload = Data.Random(5000);
        using var server = Loopback.Serve(s => SendAndLinger(s, payload));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "--bytes", "1000");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(payload.AsSpan(0, 1000).ToArray(), r.StdOut);
    }

    [Fact]
    public async Task Bytes_beyond_what_the_peer_sends_before_closing_is_an_io_error()
    {
        using var server = Loopback.Serve(s => SendAndClose(s, new byte[10]));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "-c", "64");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("the peer closed after 10 bytes, before 64 bytes", r.StdErr);
        Assert.Equal(10, r.StdOut.Length);
    }

    [Fact]
    public async Task Until_stops_after_the_delimiter_and_writes_it_too()
    {
        using var server = Loopback.Serve(s => SendAndLinger(s, Encoding.ASCII.GetBytes("220 ready\r\nAND MORE THAT MUST NOT SHOW")));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "--until", @"\r\n");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("220 ready\r\n", r.Out);
    }

    [Fact]
    public async Task Until_finds_a_hex_escaped_delimiter_split_across_two_sends()
    {
        using var server = Loopback.Serve(async s =>
        {
            await s.SendAsync(new byte[] { 1, 2, 0xAB });
            await Task.Delay(100);
            await s.SendAsync(new byte[] { 0xCD, 3, 4 });
            await Task.Delay(3000);
        });

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "--until", @"\xab\xcd");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(new byte[] { 1, 2, 0xAB, 0xCD }, r.StdOut);
    }

    [Fact]
    public async Task Out_writes_the_file_only_when_complete_and_prints_nothing()
    {
        using var dir = new TempDir();
        byte[] payload = Data.Random(400_000);
        string target = dir.File("got.bin");
        using var server = Loopback.Serve(s => SendAndClose(s, payload));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "--out", target);

        Assert.Equal(0, r.ExitCode);
        Assert.Empty(r.StdOut);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(dir.Path)); // no temporary or partial file left behind
    }

    [Fact]
    public async Task Out_keeps_what_arrived_as_a_partial_file_when_the_timeout_ends_the_transfer()
    {
        using var dir = new TempDir();
        string target = dir.File("got.bin");
        using var server = Loopback.Serve(s => SendAndLinger(s, Encoding.ASCII.GetBytes("half of it")));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "-o", target, "-w", "1");

        Assert.Equal(4, r.ExitCode);
        Assert.False(File.Exists(target));
        Assert.Equal("half of it", await File.ReadAllTextAsync(target + ".partial"));
    }

    [Fact]
    public async Task Out_leaves_no_file_behind_when_the_connection_is_refused()
    {
        using var dir = new TempDir();

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{FreePort.Closed()}", "--out", dir.File("never.bin"));

        Assert.Equal(3, r.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Out_into_a_folder_that_does_not_exist_is_bad_input()
    {
        using var dir = new TempDir();
        string target = Path.Combine(dir.Path, "missing", "x.bin");

        NsockResult r = await Nsock.RunAsync("recv", "127.0.0.1:9", "--out", target);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("does not exist", r.StdErr);
    }

    [Fact]
    public async Task Hex_prints_a_hexdump_canonical_dump()
    {
        byte[] payload = new byte[20];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(i < 16 ? i : 'A' + i - 16);
        using var server = Loopback.Serve(s => SendAndClose(s, payload));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "--hex");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(
            "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n" +
            "00000010  41 42 43 44                                       |ABCD|\n",
            r.Out);
    }

    [Fact]
    public async Task Hex_with_bytes_dumps_only_the_bytes_asked_for()
    {
        using var server = Loopback.Serve(s => SendAndLinger(s, Encoding.ASCII.GetBytes("nsock!nsock!nsock!nsock!")));

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "-x", "-c", "6");

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("00000000  6e 73 6f 63 6b 21                                 |nsock!|\n", r.Out);
    }

    [Fact]
    public async Task Recv_reads_from_an_nsock_relay_listener_fed_by_stdin()
    {
        byte[] payload = Data.Random(250_000);
        using RunningListener source = await Nsock.ListenAsync("127.0.0.1:0", "--send-only");

        Task<NsockResult> recv = Nsock.RunAsync("recv", $"127.0.0.1:{source.Port}");
        await source.Process.StdErr.WaitForLineAsync(l => l.Contains("\"event\":\"connected\""));
        await source.Process.WriteStdInAsync(payload);
        NsockResult r = await recv;

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
        Assert.Equal(0, await source.Process.WaitForExitAsync());
    }

    private static async Task SendAndClose(Socket s, byte[] payload)
    {
        await s.SendAsync(payload);
        s.Shutdown(SocketShutdown.Send);
        await Loopback.ReadToEndAsync(s);
    }

    private static async Task SendAndLinger(Socket s, byte[] payload)
    {
        await s.SendAsync(payload);
        // Stay open (recv must stop on its own) until nsock closes, or give up after a few seconds.
        Task<int> closed = s.ReceiveAsync(new byte[1]);
        await Task.WhenAny(closed, Task.Delay(5000));
    }
}
