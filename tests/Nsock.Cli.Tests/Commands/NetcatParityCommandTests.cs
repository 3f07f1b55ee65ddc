using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>The netcat options of the command: --source, --crlf, --delay, --hex-dump/--output, listen --idle-timeout.</summary>
public class NetcatParityCommandTests
{
    [Fact]
    public async Task Connect_with_source_port_and_crlf_reaches_the_peer_from_that_port_with_cr_lf_lines()
    {
        int source = FreePort.Tcp();
        int seenPort = 0;
        byte[] got = Array.Empty<byte>();
        using var server = Loopback.Serve(async client =>
        {
            seenPort = ((IPEndPoint)client.RemoteEndPoint!).Port;
            got = await Loopback.ReadToEndAsync(client);
            client.Shutdown(SocketShutdown.Send);
        });

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{server.Port}", "-s", $"127.0.0.1:{source}", "-C" }, Encoding.ASCII.GetBytes("HELO a\nQUIT\n"));
        await server.WaitAsync();

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(source, seenPort);
        Assert.Equal("HELO a\r\nQUIT\r\n", Encoding.ASCII.GetString(got));
    }

    [Theory]
    [InlineData("recv")]
    [InlineData("send-file")]
    [InlineData("probe")]
    [InlineData("http")]
    [InlineData("ping")]
    public async Task Every_connecting_command_connects_from_the_source_port(string command)
    {
        int source = FreePort.Tcp();
        int seenPort = 0;
        using var server = Loopback.Serve(async client =>
        {
            seenPort = ((IPEndPoint)client.RemoteEndPoint!).Port;
            if (command == "http") await client.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"));
            client.Shutdown(SocketShutdown.Send);
            try { await Loopback.ReadToEndAsync(client); } catch (SocketException) { }
        });
        using var dir = new TempDir();
        string file = dir.File("f.bin");
        await File.WriteAllBytesAsync(file, new byte[] { 1 });
        string from = $"127.0.0.1:{source}";
        string[] args = command switch
        {
            "recv" => new[] { "recv", $"127.0.0.1:{server.Port}", "-s", from },
            "send-file" => new[] { "send-file", $"127.0.0.1:{server.Port}", file, "--raw", "-s", from },
            "probe" => new[] { "probe", "127.0.0.1", "-p", server.Port.ToString(), "-s", from },
            "http" => new[] { "http", $"http://127.0.0.1:{server.Port}/", "-s", from },
            _ => new[] { "ping", "--tcp", "-c", "1", $"127.0.0.1:{server.Port}", "--source", from }, // ping's -s is --size
        };

        NsockResult r = await Nsock.RunAsync(args, Array.Empty<byte>());
        await server.WaitAsync();

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(source, seenPort);
    }

    [Theory]
    [InlineData("connect", "127.0.0.1:9", "--source", "4000", "a port alone is written :PORT")]
    [InlineData("connect", "127.0.0.1:9", "--source", "localhost", "not an IP address")]
    [InlineData("connect", "[::1]:9", "--source", "127.0.0.1", "IPv4")]
    [InlineData("connect", "unix:/tmp/nsock-none.sock", "--source", ":4000", "TCP and UDP")]
    [InlineData("send", "127.0.0.1:9", "--delay", "-1", "--delay")]
    [InlineData("connect", "127.0.0.1:9", "--hex-dump", "/nonexistent-nsock-dir/x", "does not exist")]
    [InlineData("listen", "127.0.0.1:0", "--idle-timeout", "-2", "--idle-timeout")]
    public async Task Bad_values_exit_2_with_one_line_naming_the_option(string command, string endpoint, string option, string value, string says)
    {
        NsockResult r = await Nsock.RunAsync(new[] { command, endpoint, option, value }, Array.Empty<byte>());

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(says, r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
        Assert.DoesNotContain("Unhandled", r.StdErr);
    }

    [Fact]
    public async Task Listen_refuses_idle_timeout_with_udp_and_recording_with_receive_files()
    {
        using var dir = new TempDir();
        NsockResult udp = await Nsock.RunAsync(new[] { "listen", "127.0.0.1:0", "--udp", "--idle-timeout", "1" }, Array.Empty<byte>());
        NsockResult files = await Nsock.RunAsync(new[] { "listen", "127.0.0.1:0", "--receive-files", dir.Path, "-x", dir.File("h") }, Array.Empty<byte>());

        Assert.Equal(2, udp.ExitCode);
        Assert.Contains("--idle-timeout", udp.StdErr);
        Assert.Equal(2, files.ExitCode);
        Assert.Contains("--hex-dump and --output record relay and echo sessions", files.StdErr);
    }

    [Fact]
    public async Task Send_with_hex_dump_and_output_records_what_went_each_way()
    {
        using var dir = new TempDir();
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"127.0.0.1:{echo.Port}", "ping", "--reply", "-x", dir.File("s.hex"), "-o", dir.File("s.log"));

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("ping", r.Out);
        string hex = await File.ReadAllTextAsync(dir.File("s.hex"));
        Assert.Matches(new Regex(@"^> \S+Z sent 4 bytes at 0\n00000000  70 69 6e 67 ", RegexOptions.Multiline), hex);
        Assert.Matches(new Regex(@"^< \S+Z received 4 bytes at 0\n00000000  70 69 6e 67 ", RegexOptions.Multiline), hex);
        string log = await File.ReadAllTextAsync(dir.File("s.log"));
        Assert.Matches(new Regex(@"^> \S+Z sent 4 bytes at 0\nping\n< \S+Z received 4 bytes at 0\nping\n$"), log);
    }

    [Fact]
    public async Task Recv_hex_still_prints_a_hex_dump_to_stdout()
    {
        using var server = Loopback.Serve(async client =>
        {
            await client.SendAsync(Encoding.ASCII.GetBytes("AB"));
            client.Shutdown(SocketShutdown.Send);
        });

        NsockResult r = await Nsock.RunAsync("recv", $"127.0.0.1:{server.Port}", "-x");
        await server.WaitAsync();

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("00000000  41 42 ", r.Out);
        Assert.EndsWith("|AB|\n", r.Out);
    }

    [Fact]
    public async Task Listen_idle_timeout_closes_a_silent_client_and_exits_4_in_the_one_client_mode()
    {
        using ChildProcess nsock = Nsock.Start("listen", "127.0.0.1:0", "--idle-timeout", "0.5", "--json");
        string ready = await nsock.StdErr.WaitForLineAsync(l => l.Contains("\"event\":\"ready\"", StringComparison.Ordinal));
        int port = int.Parse(Regex.Match(ready, "\"port\":(\\d+)").Groups[1].Value);

        using Socket quiet = await Loopback.ConnectAsync(port);
        try { await Loopback.ReadToEndAsync(quiet); } catch (SocketException) { /* closed by nsock: end or reset */ }

        Assert.Equal(4, await nsock.WaitForExitAsync());
        Assert.Contains("idle for 0.5s", nsock.StdErr.Text);
    }
}
