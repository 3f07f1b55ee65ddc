using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// Servers that misbehave on purpose: each must end in one clear NsockException, soon, with memory bounded by the
/// limits (the raw stream counts what the engine read before giving up, and the captured body stays small).
/// </summary>
public sealed class HttpHostileServerTests
{
    private static HttpRequestOptions Get(ScriptedHttpServer server) => new() { Url = server.Url("/"), Timeout = TimeSpan.FromSeconds(5) };

    // Writes the head start, then the same text again and again until the client hangs up (or 20 s pass).
    private static ScriptedHttpServer Endless(string start, string repeated) => new(async c =>
    {
        await c.WriteAsync(start);
        var batch = new StringBuilder();
        for (int i = 0; i < 100; i++) batch.Append(repeated.Replace("{i}", i.ToString()));
        byte[] bytes = HttpTest.Bytes(batch.ToString());
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20)) await c.WriteAsync(bytes);
    });

    [Fact]
    public async Task Endless_header_lines_stop_at_the_header_count_limit_quickly()
    {
        await using ScriptedHttpServer server = Endless("HTTP/1.1 200 OK\r\n", "X-Filler-{i}: some value\r\n");
        var raw = new CountingStream();
        var clock = Stopwatch.StartNew();

        NsockException e = await HttpTest.FailsAsync(Get(server), raw: raw);

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("response headers have more than 200 lines", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(raw.Count < 1024 * 1024, $"read {raw.Count} bytes before giving up");
    }

    [Fact]
    public async Task Endless_long_header_lines_stop_at_the_header_bytes_limit()
    {
        await using ScriptedHttpServer server = Endless("HTTP/1.1 200 OK\r\n", "X-Filler-{i}: " + new string('v', 1000) + "\r\n");
        var raw = new CountingStream();

        NsockException e = await HttpTest.FailsAsync(Get(server) with { Limits = new HttpLimits { MaxHeaderCount = int.MaxValue } }, raw: raw);

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("response headers are larger than 65536 bytes", e.Message);
        Assert.True(raw.Count < 1024 * 1024, $"read {raw.Count} bytes before giving up");
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nX-Long: ", "response header line is longer than 16384 bytes")]
    [InlineData("HTTP/1.1 200 ", "status line is longer than 16384 bytes")]
    public async Task Endless_line_without_a_line_end_stops_at_the_line_limit(string start, string expected)
    {
        await using ScriptedHttpServer server = Endless(start, "abcdefghij");
        var raw = new CountingStream();

        NsockException e = await HttpTest.FailsAsync(Get(server), raw: raw);

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains(expected, e.Message);
        Assert.True(raw.Count < 1024 * 1024, $"read {raw.Count} bytes before giving up");
    }

    [Fact]
    public async Task Endless_trailers_stop_at_the_header_count_limit()
    {
        await using ScriptedHttpServer server = Endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n", "X-Trailer-{i}: v\r\n");

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("trailers have more than 200 lines", e.Message);
    }

    [Fact]
    public async Task Endless_interim_responses_stop_at_the_interim_limit()
    {
        await using ScriptedHttpServer server = Endless("", "HTTP/1.1 100 Continue\r\n\r\n");

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("more than 16 interim (1xx) responses", e.Message);
    }

    [Fact]
    public async Task Ten_gigabyte_content_length_with_a_short_body_reports_how_much_arrived()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\nonly this.");
        long before = GC.GetTotalMemory(forceFullCollection: false);

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("closed after 10 of 10000000000", e.Message);
        // Nothing was sized from the announced length (a 10 GB buffer would have failed or shown here).
        Assert.True(GC.GetTotalMemory(forceFullCollection: false) - before < 512L * 1024 * 1024, "memory grew by more than 512 MB");
    }

    [Fact]
    public async Task Large_body_is_captured_only_up_to_the_limit_and_counted_exactly()
    {
        byte[] block = new byte[64 * 1024];
        new Random(3).NextBytes(block);
        await using var server = new ScriptedHttpServer(async c =>
        {
            await c.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Length: {80 * block.Length}\r\n\r\n");
            for (int i = 0; i < 80; i++) await c.WriteAsync(block);
        });

        HttpResponse r = await HttpTest.SendAsync(Get(server) with { Limits = new HttpLimits { MaxCapturedBody = 100_000 } });

        Assert.Equal(80L * block.Length, r.BodyBytes);
        Assert.True(r.BodyTruncated);
        Assert.Equal(100_000, r.Body!.Length);
        Assert.Equal(block, r.Body.Take(block.Length));
    }

    [Fact]
    public async Task Chunk_size_that_is_not_hexadecimal_is_named_in_the_error()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nzz\r\nxyz\r\n0\r\n\r\n");

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("chunk size 'zz' is not a hexadecimal number", e.Message);
    }

    [Theory]
    // The data was 3 bytes as announced; what followed it was wrong (not "the chunk data is longer than 2 bytes").
    [InlineData("3\r\nabcdef\r\n0\r\n\r\n", "expected CRLF after chunk data")]
    [InlineData("3\r\nabcd\r\n0\r\n\r\n", "expected CRLF after chunk data")]
    // The server closed right after the data: an early close, not "other bytes".
    [InlineData("3\r\nabc", "closed")]
    public async Task Chunk_data_not_followed_by_its_line_end_is_reported_as_such(string chunks, string expected)
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Chunked_body_cut_before_the_last_chunk_says_so()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("closed before the last chunk (3 body bytes received)", e.Message);
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n", "'SSH-2.0-OpenSSH_9.6' is not an HTTP status line")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", "'HTTP/1.1 2000 OK' is not an HTTP status line")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", "is not an HTTP status line")]
    [InlineData("", "closed the connection without sending a response")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n", "closed in the middle of the response headers")]
    [InlineData("HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", "'No colon here' in the response headers is not a header line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "Content-Length 'ten' is not a number")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", "conflicting Content-Length values (3 and 4)")]
    public async Task Malformed_response_is_an_io_error_quoting_what_was_wrong(string response, string expected)
    {
        await using var server = ScriptedHttpServer.Answering(response);

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Server_that_never_answers_times_out_after_the_short_timeout()
    {
        await using var server = new ScriptedHttpServer(c => c.WaitForClientCloseAsync(TimeSpan.FromSeconds(20)));
        var clock = Stopwatch.StartNew();

        NsockException e = await HttpTest.FailsAsync(Get(server) with { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        Assert.Contains("sent nothing for 0.3s", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Server_that_stalls_mid_body_times_out_saying_how_much_arrived()
    {
        await using var server = new ScriptedHttpServer(async c =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst part");
            await c.WaitForClientCloseAsync(TimeSpan.FromSeconds(20));
        });

        NsockException e = await HttpTest.FailsAsync(Get(server) with { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        Assert.Contains("bytes received", e.Message);
    }
}
