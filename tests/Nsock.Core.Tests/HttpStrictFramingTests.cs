using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// RFC 9112 on what a client reads (issue 14, finding 14): only HTTP/1.x, Transfer-Encoding wins over Content-Length
/// and the response is flagged, a transfer coding that does not end in chunked runs until close, and a Content-Length
/// that is not one number is an error. Each server is a real loopback socket writing the hostile bytes.
/// </summary>
public sealed class HttpStrictFramingTests
{
    private static HttpRequestOptions Get(ScriptedHttpServer server) => new() { Url = server.Url("/"), Timeout = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData("HTTP/9.9 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/9.9")]
    [InlineData("HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/2.0")]
    [InlineData("HTTP/0.9 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/0.9")]
    public async Task Another_major_version_is_refused_naming_it(string response, string version)
    {
        await using var server = ScriptedHttpServer.Answering(response);

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains($"answered in {version}", e.Message);
        Assert.Contains("only HTTP/1.x", e.Message);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "1.1")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", "1.0")]
    [InlineData("HTTP/1.9 200 OK\r\nContent-Length: 2\r\n\r\nok", "1.9")]
    public async Task Any_http_1_minor_version_is_read(string response, string version)
    {
        await using var server = ScriptedHttpServer.Answering(response);

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(version, r.Version);
        Assert.Equal("ok", HttpTest.Text(r.Body));
        Assert.Empty(r.Warnings);
    }

    [Theory]
    [InlineData("HTTP/1.10 200 OK\r\n\r\n")]
    [InlineData("HTTP/1 200 OK\r\n\r\n")]
    [InlineData("HTTP/x.1 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1x 200 OK\r\n\r\n")]
    public async Task A_version_that_is_not_digit_dot_digit_is_not_a_status_line(string response)
    {
        await using var server = ScriptedHttpServer.Answering(response);

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains("is not an HTTP status line", e.Message);
    }

    [Fact]
    public async Task Transfer_encoding_wins_over_content_length_and_the_response_is_flagged()
    {
        // Read by Content-Length this would be "5\r\nhe" (the smuggling shape); chunked it is "hello".
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(HttpFraming.Chunked, r.Framing);
        Assert.Equal("hello", HttpTest.Text(r.Body));
        string warning = Assert.Single(r.Warnings);
        Assert.Contains("both Transfer-Encoding and Content-Length", warning);
    }

    [Fact]
    public async Task With_transfer_encoding_an_invalid_content_length_is_ignored_but_flagged()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: lots\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal("ok", HttpTest.Text(r.Body));
        Assert.Contains(r.Warnings, w => w.Contains("Content-Length ignored"));
    }

    [Fact]
    public async Task A_flagged_response_is_never_read_on_from_its_connection_a_redirect_opens_a_new_one()
    {
        // The first answer is a flagged redirect; whatever else is on that connection is never read as a response.
        int served = 0;
        await using var server = new ScriptedHttpServer(c => System.Threading.Interlocked.Increment(ref served) == 1
            ? c.WriteAsync("HTTP/1.1 302 Found\r\nLocation: /next\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled")
            : c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nreal"));

        HttpResponse r = await HttpTest.SendAsync(Get(server) with { FollowRedirects = 1 });

        Assert.Equal("real", HttpTest.Text(r.Body));
        Assert.Equal(2, server.Accepted);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("chunked, gzip")]
    public async Task A_transfer_coding_not_ending_in_chunked_is_read_until_close_and_flagged(string coding)
    {
        await using var server = ScriptedHttpServer.Answering($"HTTP/1.1 200 OK\r\nTransfer-Encoding: {coding}\r\nContent-Length: 2\r\n\r\nbytes until close");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(HttpFraming.Close, r.Framing);
        Assert.Equal("bytes until close", HttpTest.Text(r.Body));
        Assert.Contains(r.Warnings, w => w.Contains($"'{coding}' does not end in chunked"));
        Assert.Contains(r.Warnings, w => w.Contains("both Transfer-Encoding and Content-Length"));
    }

    [Fact]
    public async Task Chunked_in_a_second_transfer_encoding_header_counts_as_the_last_coding()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(HttpFraming.Chunked, r.Framing);
        Assert.Empty(r.Warnings);
    }

    [Theory]
    [InlineData("Content-Length: +5\r\n", "Content-Length '+5' is not a number")]
    [InlineData("Content-Length: 0x5\r\n", "Content-Length '0x5' is not a number")]
    [InlineData("Content-Length: 5 5\r\n", "Content-Length '5 5' is not a number")]
    [InlineData("Content-Length: \r\n", "is not a number")]
    [InlineData("Content-Length: 5, 6\r\n", "conflicting Content-Length values (5 and 6)")]
    [InlineData("Content-Length: 99999999999999999999999\r\n", "is not a number")]
    public async Task A_content_length_that_is_not_one_number_is_an_error(string header, string expected)
    {
        await using var server = ScriptedHttpServer.Answering($"HTTP/1.1 200 OK\r\n{header}\r\nhello");

        NsockException e = await HttpTest.FailsAsync(Get(server));

        Assert.Equal(NsockErrorKind.Io, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Equal_duplicate_content_lengths_are_one_length()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5, 5\r\n\r\nhello");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal("hello", HttpTest.Text(r.Body));
        Assert.Empty(r.Warnings);
    }

    [Fact]
    public async Task A_head_response_with_both_headers_is_flagged_without_a_body()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server) with { Method = "HEAD" });

        Assert.Equal(HttpFraming.None, r.Framing);
        Assert.Single(r.Warnings);
        Assert.Equal(0, r.BodyBytes);
    }
}
