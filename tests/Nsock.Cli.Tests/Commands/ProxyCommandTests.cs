using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary>
/// <c>--proxy</c> on every connecting command, run as the binary under test through tests/Assets/test_proxy.py
/// (a SOCKS5 or HTTP CONNECT proxy in plain Python on loopback port 0) to nsock's own listeners and python's http.server.
/// </summary>
public sealed class ProxyCommandTests
{
    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Connect_through_the_proxy_echoes_stdin_back_and_ends_on_the_half_close_with_a_via_line(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");
        byte[] payload = Data.Random(200_000);

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{echo.Port}", "--proxy", proxy.Url(), "-v" }, payload);

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
        Assert.Contains($"connected to 127.0.0.1:{echo.Port} from 127.0.0.1:", r.StdErr);
        Assert.Contains($" via {proxy.Url()}", r.StdErr);
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Send_with_reply_by_name_lets_the_proxy_resolve_it(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync("send", $"localhost:{echo.Port}", "by name", "--reply", "--proxy", proxy.Url());

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("by name", r.Out);
        Assert.Equal($"REQUEST domain localhost {echo.Port}", await proxy.NextLineAsync("REQUEST"));
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Recv_through_the_proxy_prints_what_the_peer_sends(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        byte[] payload = Data.Random(100_000);

        Task<NsockResult> run = Nsock.RunAsync("recv", $"127.0.0.1:{port}", "--proxy", proxy.Url());
        using (var accept = new CancellationTokenSource(ChildProcess.DefaultTimeout))
        using (Socket served = await listener.AcceptAsync(accept.Token))
        {
            await served.SendAsync(payload, SocketFlags.None);
            served.Shutdown(SocketShutdown.Send);
            NsockResult r = await run;
            Assert.Equal(0, r.ExitCode);
            Assert.Equal(Data.Sha256(payload), Data.Sha256(r.StdOut));
        }
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Send_file_through_the_proxy_arrives_verified_by_its_hash(string kind)
    {
        using var dir = new TempDir();
        string received = dir.File("recv");
        Directory.CreateDirectory(received);
        byte[] payload = Data.Random(500_000);
        string file = dir.File("data.bin");
        await File.WriteAllBytesAsync(file, payload);
        using TestProxy proxy = await TestProxy.StartAsync(kind);
        using RunningListener receiver = await Nsock.ListenAsync("127.0.0.1:0", "--receive-files", received);

        NsockResult r = await Nsock.RunAsync("send-file", $"localhost:{receiver.Port}", file, "--proxy", proxy.Url());

        Assert.Equal(0, r.ExitCode);
        Assert.Matches(@"^sent data\.bin: 500000 bytes xxh128=[0-9a-f]{32} verified", r.Out);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(await File.ReadAllBytesAsync(Path.Combine(received, "data.bin"))));
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task Http_get_through_the_proxy_prints_the_python_server_s_file(string kind)
    {
        using var dir = new TempDir();
        byte[] payload = Data.Random(50_000);
        await File.WriteAllBytesAsync(dir.File("f.bin"), payload);
        using ChildProcess server = ChildProcess.Start("python3", new[] { "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir.Path });
        string line = await server.StdOut.WaitForLineAsync(l => l.StartsWith("Serving HTTP on", StringComparison.Ordinal));
        int port = int.Parse(Regex.Match(line, @" port (\d+)").Groups[1].Value);
        using TestProxy proxy = await TestProxy.StartAsync(kind);

        NsockResult r = await Nsock.RunAsync("http", $"http://localhost:{port}/f.bin", "--proxy", proxy.Url(), "-o", dir.File("out.bin"), "-v");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"200 from localhost:{port} via {proxy.Url()}: 50000 body bytes", r.StdErr);
        Assert.StartsWith("HTTP/1.0 200 OK", r.Out);
        Assert.Equal(Data.Sha256(payload), Data.Sha256(await File.ReadAllBytesAsync(dir.File("out.bin"))));
        Assert.Equal($"REQUEST domain localhost {port}", await proxy.NextLineAsync("REQUEST"));
    }

    [Fact]
    public async Task The_json_connected_event_names_the_proxy_without_its_password()
    {
        using TestProxy proxy = await TestProxy.StartAsync("socks5", "--user", "alice", "--password", "pa55word");
        using RunningListener echo = await Nsock.ListenAsync("127.0.0.1:0", "--echo");

        NsockResult r = await Nsock.RunAsync(new[] { "connect", $"127.0.0.1:{echo.Port}", "--proxy", proxy.Url("alice:pa55word"), "--json" }, Encoding.ASCII.GetBytes("x"));

        Assert.Equal(0, r.ExitCode);
        string connected = r.StdErr.Split('\n').Single(l => l.Contains("\"event\":\"connected\"", StringComparison.Ordinal));
        Assert.Contains($"\"via\":\"socks5://alice:***@127.0.0.1:{proxy.Port}\"", connected);
        Assert.DoesNotContain("pa55word", r.StdErr);
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("http")]
    public async Task A_wrong_password_exits_1_and_the_password_is_never_printed(string kind)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind, "--user", "alice", "--password", "right");

        NsockResult r = await Nsock.RunAsync("send", "127.0.0.1:9", "x", "--proxy", proxy.Url("alice:WrongPass"), "-v");

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("alice:***@", r.StdErr);
        Assert.DoesNotContain("WrongPass", r.StdErr);
    }

    [Fact]
    public async Task A_proxy_that_is_down_exits_3_naming_the_proxy()
    {
        int closed = FreePort.Closed();

        NsockResult r = await Nsock.RunAsync("send", "127.0.0.1:9", "x", "--proxy", $"socks5://127.0.0.1:{closed}");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"proxy socks5://127.0.0.1:{closed}: connect to 127.0.0.1:{closed}: connection refused", r.StdErr);
    }

    [Theory]
    [InlineData("socks5", "--socks-reply", "5", 3, "connection refused by the target (SOCKS5 reply 5)")]
    [InlineData("socks5", "--socks-reply", "4", 6, "host unreachable (SOCKS5 reply 4)")]
    [InlineData("http", "--http-status", "403 Forbidden", 1, "answered 'HTTP/1.1 403 Forbidden'")]
    [InlineData("http", "--http-status", "504 Gateway Timeout", 4, "answered 'HTTP/1.1 504 Gateway Timeout'")]
    public async Task A_proxy_s_refusal_exits_with_the_code_of_what_it_reports(string kind, string option, string value, int exit, string message)
    {
        using TestProxy proxy = await TestProxy.StartAsync(kind, option, value);

        NsockResult r = await Nsock.RunAsync("connect", "localhost:4000", "--proxy", proxy.Url());

        Assert.Equal(exit, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public async Task A_proxy_that_never_answers_exits_4_after_the_timeout()
    {
        using TestProxy proxy = await TestProxy.StartAsync("http", "--silent");

        NsockResult r = await Nsock.RunAsync("send", "127.0.0.1:9", "x", "--proxy", proxy.Url(), "--timeout", "1");

        Assert.Equal(4, r.ExitCode);
        Assert.Contains("no answer to the request for 127.0.0.1:9 within 1s", r.StdErr);
    }

    [Theory]
    [InlineData("send", "127.0.0.1:9", "--udp")]
    [InlineData("connect", "unix:/tmp/nsock-proxy-test.sock", null)]
    [InlineData("probe", "127.0.0.1", "--udp -p 9")]
    [InlineData("ping", "127.0.0.1:9", null)] // ping is UDP unless --tcp
    public async Task Udp_and_unix_targets_refuse_a_proxy_with_exit_2(string command, string target, string? flag)
    {
        string[] args = new[] { command, target, "--proxy", "socks5://127.0.0.1:1080" }.Concat(flag is null ? Array.Empty<string>() : flag.Split(' ')).ToArray();
        NsockResult r = await Nsock.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--proxy carries TCP only", r.StdErr);
    }

    [Fact]
    public async Task A_bad_proxy_url_exits_2_without_echoing_its_password()
    {
        NsockResult r = await Nsock.RunAsync("send", "127.0.0.1:9", "x", "--proxy", "ftp://u:topsecret@127.0.0.1:21");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("'ftp://' is not a proxy scheme", r.StdErr);
        Assert.DoesNotContain("topsecret", r.StdErr);
    }

    [Fact]
    public async Task Probe_through_the_proxy_reports_open_and_closed_by_the_proxy_s_answer()
    {
        using TestProxy proxy = await TestProxy.StartAsync("socks5");
        using RunningListener open = await Nsock.ListenAsync("127.0.0.1:0", "--keep-open", "--echo");
        int closed = FreePort.Closed();

        NsockResult r = await Nsock.RunAsync("probe", "localhost", "-p", $"{open.Port},{closed}", "--proxy", proxy.Url(), "--json");

        Assert.Equal(8, r.ExitCode); // not every port open
        string[] lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains($"\"port\":{open.Port}", StringComparison.Ordinal) && l.Contains("\"stateText\":\"open\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"\"port\":{closed}", StringComparison.Ordinal) && l.Contains("\"stateText\":\"closed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tcp_ping_through_the_proxy_gets_a_reply_per_probe()
    {
        using TestProxy proxy = await TestProxy.StartAsync("http");
        using RunningListener open = await Nsock.ListenAsync("127.0.0.1:0", "--keep-open", "--echo");

        NsockResult r = await Nsock.RunAsync("ping", $"localhost:{open.Port}", "--tcp", "-c", "2", "--interval", "0", "--proxy", proxy.Url());

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("2 probes sent, 2 replies, 0% loss", r.Out);
        Assert.Contains($"connected to localhost:{open.Port}: seq=2", r.Out);
    }
}

/// <summary>tests/Assets/test_proxy.py (copied as Peers/test_proxy.py) on 127.0.0.1 port 0; its REQUEST/AUTH lines say what it was asked.</summary>
internal sealed class TestProxy : IDisposable
{
    private readonly ChildProcess _process;

    private TestProxy(ChildProcess process, string scheme, int port)
    {
        _process = process;
        Scheme = scheme;
        Port = port;
    }

    public string Scheme { get; }

    public int Port { get; }

    public string Url(string? userInfo = null) => $"{Scheme}://{(userInfo is null ? "" : userInfo + "@")}127.0.0.1:{Port}";

    public static async Task<TestProxy> StartAsync(string kind, params string[] options)
    {
        ChildProcess p = Peers.Python("test_proxy.py", new[] { "--kind", kind }.Concat(options).ToArray());
        try
        {
            string line = await p.StdOut.WaitForLineAsync(l => l.StartsWith("LISTENING ", StringComparison.Ordinal));
            return new TestProxy(p, kind, int.Parse(line.Substring("LISTENING ".Length).Trim()));
        }
        catch
        {
            p.Dispose();
            throw;
        }
    }

    public Task<string> NextLineAsync(string prefix) => _process.StdOut.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal));

    public void Dispose() => _process.Dispose();
}
