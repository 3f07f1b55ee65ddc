using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Cli.Tests;

/// <summary><c>nsock http</c> run in-process against a loopback server that answers with scripted bytes.</summary>
public sealed class HttpCommandTests : IDisposable
{
    private const string Hello = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: yes\r\n\r\nhello";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nsock-http-cli-" + Guid.NewGuid().ToString("N").Substring(0, 8));

    public HttpCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Http_command_prints_each_head_then_the_body_on_stdout()
    {
        const string response = "HTTP/1.1 100 Continue\r\n\r\n" + Hello;
        await using var server = new ScriptServer(response);

        Run run = await RunAsync("http", server.Url, "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: yes\r\n\r\nhello", run.StdOut);
        Assert.Equal("", run.Err);
        Assert.StartsWith("GET / HTTP/1.1\r\n", server.Requests.Single());
    }

    [Fact]
    public async Task Http_command_with_json_writes_one_result_object_and_nothing_else()
    {
        await using var server = new ScriptServer(Hello);

        Run run = await RunAsync("http", server.Url, "--json", "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StdOut);
        string line = Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using JsonDocument json = JsonDocument.Parse(line);
        Assert.Equal("response", json.RootElement.GetProperty("event").GetString());
        Assert.Equal(200, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("hello", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("content-length", json.RootElement.GetProperty("framing").GetString());
        Assert.Equal("yes", json.RootElement.GetProperty("headers").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "X-Test").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Http_command_with_raw_prints_the_response_bytes_untouched()
    {
        const string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n";
        await using var server = new ScriptServer(response);

        Run run = await RunAsync("http", server.Url, "--raw", "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(response, run.StdOut);
    }

    [Fact]
    public async Task Http_command_sends_a_raw_request_from_stdin_byte_for_byte()
    {
        await using var server = new ScriptServer("HTTP/1.0 200 OK\r\n\r\nbye");

        Run run = await RunAsync(Encoding.Latin1.GetBytes("GET / HTTP/1.0\n\n"), "http", server.Url, "--raw-request", "-", "--raw", "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("GET / HTTP/1.0\n\n", server.Requests.Single());
        Assert.Equal("HTTP/1.0 200 OK\r\n\r\nbye", run.StdOut);
    }

    [Fact]
    public async Task Http_command_with_out_writes_the_body_to_the_file_and_the_heads_to_stdout()
    {
        await using var server = new ScriptServer(Hello);
        string target = Path.Combine(_dir, "body.txt");

        Run run = await RunAsync("http", server.Url, "--out", target, "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello", File.ReadAllText(target));
        Assert.Equal("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Test: yes\r\n\r\n", run.StdOut);
    }

    [Fact]
    public async Task Http_command_with_out_leaves_no_file_when_the_body_is_cut_short()
    {
        await using var server = new ScriptServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this.");
        string target = Path.Combine(_dir, "cut.bin");

        Run run = await RunAsync("http", server.Url, "--out", target, "--timeout", "5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("closed after 10 of 100", run.Err);
        Assert.False(File.Exists(target), "the target exists after a failed transfer");
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("/relative/path")]
    public async Task Http_command_rejects_a_bad_url_with_exit_code_2(string url)
    {
        Run run = await RunAsync("http", url);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(url, run.Err);
        Assert.Equal("", run.StdOut);
    }

    [Fact]
    public async Task Http_command_rejects_raw_with_json_and_a_header_without_colon_with_exit_code_2()
    {
        await using var server = new ScriptServer(Hello);

        Run rawJson = await RunAsync("http", server.Url, "--raw", "--json");
        Run header = await RunAsync("http", server.Url, "-H", "NoColonHere");

        Assert.Equal(2, rawJson.ExitCode);
        Assert.Equal(2, header.ExitCode);
        Assert.Contains("NoColonHere", header.Err);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Http_command_times_out_on_a_silent_server_with_exit_code_4()
    {
        await using var server = new ScriptServer(null);

        Run run = await RunAsync("http", server.Url, "--timeout", "0.3");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("sent nothing", run.Err);
    }

    [Fact]
    public async Task A_servers_reason_phrase_headers_and_location_are_escaped_so_they_cannot_forge_lines_or_send_terminal_escapes()
    {
        // U+202E (right-to-left override) as its UTF-8 bytes, the way a server would send it.
        string rlo = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("\u202E"));
        await using var server = new ScriptServer("HTTP/1.1 302 Found\u001b[2J" + rlo + "\r\nLocation: /x\u001b]0;pwned\u0007\u009b\r\nX-Bad: a\u001b[31mb\r\nContent-Length: 0\r\n\r\n");

        Run run = await RunAsync("http", server.Url, "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith(@"HTTP/1.1 302 Found\x1b[2J\u202e" + "\r\n", run.StdOut);
        Assert.Contains(@"X-Bad: a\x1b[31mb" + "\r\n", run.StdOut);
        Assert.DoesNotContain('\u001b', run.StdOut);
        Assert.DoesNotContain(rlo, run.StdOut);
        string note = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(@"nsock: 302 redirect to /x\x1b]0;pwned\x07\x9b (not followed; --follow N follows)", note);
    }

    [Fact]
    public async Task Max_time_ends_a_server_that_drips_one_byte_at_a_time_with_exit_4_naming_the_option()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Task drip = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptSocketAsync(stop.Token);
            byte[] response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + new string('x', 1000));
            try
            {
                foreach (byte b in response)
                {
                    await s.SendAsync(new[] { b }, SocketFlags.None, stop.Token);
                    await Task.Delay(100, stop.Token);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
            }
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Run run = await RunAsync("http", $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/", "-w", "3", "--max-time", "1");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("--max-time 1s", run.Err);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        stop.Cancel();
        await drip.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Max_time_out_of_range_is_a_usage_error()
    {
        Run run = await RunAsync("http", "http://127.0.0.1:1/", "--max-time", "-1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--max-time", run.Err);
    }

    private const string Smuggled = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n";

    [Fact]
    public async Task Response_with_both_transfer_encoding_and_content_length_is_read_chunked_with_a_warning_on_stderr()
    {
        await using var server = new ScriptServer(Smuggled);

        Run run = await RunAsync("http", server.Url, "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        Assert.EndsWith("\r\n\r\nok", run.StdOut);
        string warning = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("nsock: warning: the response has both Transfer-Encoding and Content-Length", warning);
    }

    [Fact]
    public async Task Response_with_both_transfer_encoding_and_content_length_has_its_warning_in_json()
    {
        await using var server = new ScriptServer(Smuggled);

        Run run = await RunAsync("http", server.Url, "--json", "--timeout", "5");

        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(Assert.Single(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("chunked", json.RootElement.GetProperty("framing").GetString());
        Assert.Contains("Transfer-Encoding used, Content-Length ignored", Assert.Single(json.RootElement.GetProperty("warnings").EnumerateArray()).GetString());
        Assert.Equal("", run.Err);
    }

    [Fact]
    public async Task Http_2_status_line_is_a_protocol_error_exit_naming_the_version()
    {
        await using var server = new ScriptServer("HTTP/9.9 200 OK\r\nContent-Length: 2\r\n\r\nok");

        Run run = await RunAsync("http", server.Url, "--timeout", "5");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("HTTP/9.9", run.Err);
        Assert.DoesNotContain("Unhandled", run.Err);
    }

    private static Task<Run> RunAsync(params string[] args) => RunAsync(Array.Empty<byte>(), args);

    private static async Task<Run> RunAsync(byte[] stdin, params string[] args)
    {
        var stdout = new MemoryStream();
        var @out = new StringWriter();
        var err = new StringWriter();
        var io = new ConsoleIo(new MemoryStream(stdin), stdout, @out, err, false);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int code = await NsockApp.InvokeAsync(args, io, cts.Token).WaitAsync(TimeSpan.FromSeconds(20));
        return new Run(code, Encoding.Latin1.GetString(stdout.ToArray()), @out.ToString(), err.ToString());
    }

    private sealed record Run(int ExitCode, string StdOut, string Out, string Err);

    /// <summary>Answers each connection with fixed bytes (or, given null, with silence until the client leaves), recording each request.</summary>
    private sealed class ScriptServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentQueue<string> _requests = new();
        private readonly List<Task> _served = new();
        private readonly byte[]? _response;
        private readonly Task _loop;

        public ScriptServer(string? response)
        {
            _response = response is null ? null : Encoding.Latin1.GetBytes(response);
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
            _loop = AcceptAsync();
        }

        public string Url { get; }

        public IReadOnlyList<string> Requests => _requests.Where(r => r.Length > 0).ToArray();

        private async Task AcceptAsync()
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }
                lock (_served) _served.Add(Task.Run(() => ServeAsync(socket)));
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var request = new MemoryStream();
                var buffer = new byte[4096];
                while (true)
                {
                    string sofar = Encoding.Latin1.GetString(request.ToArray());
                    if (sofar.Contains("\r\n\r\n", StringComparison.Ordinal) || sofar.Contains("\n\n", StringComparison.Ordinal)) break;
                    int n = await stream.ReadAsync(buffer, cts.Token);
                    if (n == 0) break;
                    request.Write(buffer, 0, n);
                }
                _requests.Enqueue(Encoding.Latin1.GetString(request.ToArray()));
                if (_response is not null)
                {
                    await stream.WriteAsync(_response, cts.Token);
                    socket.Shutdown(SocketShutdown.Send);
                }
                while (await stream.ReadAsync(buffer, cts.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            await _loop;
            Task[] served;
            lock (_served) served = _served.ToArray();
            await Task.WhenAll(served).WaitAsync(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
