using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>How the end of a response is found: chunked (with extensions and trailers), Content-Length, close, none; 1xx heads; header lists.</summary>
public sealed class HttpFramingTests
{
    private static HttpRequestOptions Get(ScriptedHttpServer server, string path = "/") => new() { Url = server.Url(path), Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Chunked_body_is_decoded_with_each_chunk_located_and_its_trailers_kept()
    {
        const string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n";
        const string response = head + "5\r\nhello\r\n7\r\n, world\r\n0\r\nX-Checksum: abc123\r\nX-Other: 1\r\n\r\n";
        await using var server = ScriptedHttpServer.Answering(response);

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(HttpFraming.Chunked, r.Framing);
        Assert.Equal("hello, world", HttpTest.Text(r.Body));
        Assert.Equal(12, r.BodyBytes);
        Assert.Equal(head.Length, r.HeaderBytes);
        Assert.Equal(response.Length, r.RawBytes);
        Assert.Equal(new[] { new HttpHeader("X-Checksum", "abc123"), new HttpHeader("X-Other", "1") }, r.Trailers);
        Assert.Equal(new[]
        {
            new HttpChunk(5, response.IndexOf("5\r\nhello"), 0, null),
            new HttpChunk(7, response.IndexOf("7\r\n, world"), 5, null),
            new HttpChunk(0, response.IndexOf("0\r\nX-Checksum"), 12, null),
        }, r.Chunks);
        Assert.DoesNotContain(r.Headers, h => h.Name == "X-Checksum");
    }

    [Fact]
    public async Task Chunk_extensions_are_reported_with_their_chunk()
    {
        await using var server = ScriptedHttpServer.Answering(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n3 ; a=1;b=\"x y\"\r\nabc\r\n0;last\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal("helloabc", HttpTest.Text(r.Body));
        Assert.Equal(new string?[] { "name=value", "a=1;b=\"x y\"", "last" }, r.Chunks!.Select(c => c.Extensions));
        Assert.Equal(new long[] { 5, 3, 0 }, r.Chunks!.Select(c => c.Size));
        Assert.Empty(r.Trailers);
    }

    [Fact]
    public async Task Chunk_lines_and_the_last_chunk_split_across_writes_still_end_the_body_without_waiting_for_close()
    {
        // The server keeps the connection open after the last chunk: only the parser can end this response.
        await using var server = new ScriptedHttpServer(async c =>
        {
            await c.WriteInPiecesAsync(40,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                "1", "0\r\n0123456789", "abcdef\r", "\n5\r\nhel", "lo\r\n",
                "0\r", "\n\r", "\n");
            await c.WaitForClientCloseAsync(TimeSpan.FromSeconds(10));
        });

        HttpResponse r = await RawHttpClient.SendAsync(Get(server), null, null, new HttpEventRecorder(), default).WaitAsync(TimeSpan.FromSeconds(4));

        Assert.Equal("0123456789abcdefhello", HttpTest.Text(r.Body));
        Assert.Equal(new long[] { 16, 5, 0 }, r.Chunks!.Select(c => c.Size));
        Assert.Empty(r.Trailers);
    }

    [Fact]
    public async Task Body_without_a_length_is_read_until_the_server_closes()
    {
        byte[] payload = new byte[100_000];
        new Random(7).NextBytes(payload);
        await using var server = new ScriptedHttpServer(async c =>
        {
            await c.WriteAsync("HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n");
            await c.WriteAsync(payload.AsSpan(0, 50_000).ToArray());
            await Task.Delay(30);
            await c.WriteAsync(payload.AsSpan(50_000).ToArray());
        });

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(HttpFraming.Close, r.Framing);
        Assert.Equal(payload.Length, r.BodyBytes);
        Assert.Equal(payload, r.Body);
    }

    [Fact]
    public async Task Interim_responses_are_listed_and_reported_as_heads_before_the_final_one()
    {
        const string response = "HTTP/1.1 100 Continue\r\n\r\n"
            + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        await using var server = ScriptedHttpServer.Answering(response);
        var events = new HttpEventRecorder();

        HttpResponse r = await HttpTest.SendAsync(Get(server), events: events);

        Assert.Equal(200, r.Status);
        Assert.Equal("ok", HttpTest.Text(r.Body));
        Assert.Equal(new[] { 100, 103 }, r.Interim.Select(i => i.Status));
        Assert.Equal("Early Hints", r.Interim[1].Reason);
        Assert.Equal(new[] { new HttpHeader("Link", "</style.css>; rel=preload; as=style") }, r.Interim[1].Headers);
        Assert.Equal(response.IndexOf("ok", StringComparison.Ordinal), r.HeaderBytes);
        Assert.Equal(new[] { (100, true), (103, true), (200, false) }, events.Of<HttpHead>().Select(h => (h.Status, h.IsInterim)));
        // The request is reported before any head.
        Assert.IsType<HttpRequestSent>(events.Events.First());
    }

    [Theory]
    [InlineData("HEAD", 200, "OK")]
    [InlineData("GET", 204, "No Content")]
    [InlineData("GET", 304, "Not Modified")]
    public async Task Response_that_cannot_have_a_body_ends_after_its_head_despite_a_content_length(string method, int status, string reason)
    {
        // The server holds the connection open: waiting for the 1000 announced bytes would hang until the bound.
        await using var server = new ScriptedHttpServer(async c =>
        {
            await c.WriteAsync($"HTTP/1.1 {status} {reason}\r\nContent-Length: 1000\r\nETag: \"v1\"\r\n\r\n");
            await c.WaitForClientCloseAsync(TimeSpan.FromSeconds(10));
        });

        HttpResponse r = await RawHttpClient.SendAsync(Get(server) with { Method = method }, null, null, new HttpEventRecorder(), default).WaitAsync(TimeSpan.FromSeconds(4));

        Assert.Equal(status, r.Status);
        Assert.Equal(reason, r.Reason);
        Assert.Equal(HttpFraming.None, r.Framing);
        Assert.Equal(0, r.BodyBytes);
        Assert.Empty(r.Body!);
        Assert.Equal("1000", r.Headers.Single(h => h.Name == "Content-Length").Value);
        Assert.StartsWith(method + " / HTTP/1.1\r\n", server.RequestTexts.Single());
    }

    [Fact]
    public async Task Duplicate_headers_are_kept_in_wire_order_with_their_spelling()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\n"
            + "Set-Cookie: a=1\r\nX-Dup: one\r\nSet-Cookie: b=2\r\nX-Dup: two\r\nset-cookie: c=3\r\nX-Empty:\r\nContent-Length: 0\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(new[]
        {
            new HttpHeader("Set-Cookie", "a=1"),
            new HttpHeader("X-Dup", "one"),
            new HttpHeader("Set-Cookie", "b=2"),
            new HttpHeader("X-Dup", "two"),
            new HttpHeader("set-cookie", "c=3"),
            new HttpHeader("X-Empty", ""),
            new HttpHeader("Content-Length", "0"),
        }, r.Headers);
        Assert.Equal(HttpFraming.ContentLength, r.Framing);
    }

    [Fact]
    public async Task Folded_header_line_is_joined_to_the_header_before_it()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nX-Folded: first\r\n   second\r\n\tthird\r\nContent-Length: 0\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(new[] { new HttpHeader("X-Folded", "first second third"), new HttpHeader("Content-Length", "0") }, r.Headers);
    }

    [Fact]
    public async Task Status_line_without_a_reason_and_bare_LF_line_ends_are_accepted()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.0 200\nContent-Length: 3\n\nabc");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(200, r.Status);
        Assert.Equal("", r.Reason);
        Assert.Equal("1.0", r.Version);
        Assert.Equal("abc", HttpTest.Text(r.Body));
    }

    [Fact]
    public async Task Chunked_transfer_encoding_wins_over_a_content_length()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(Get(server));

        Assert.Equal(HttpFraming.Chunked, r.Framing);
        Assert.Equal("abc", HttpTest.Text(r.Body));
    }

    [Fact]
    public async Task Body_stream_gets_the_body_and_the_result_keeps_no_copy()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
        var body = new MemoryStream();

        HttpResponse r = await HttpTest.SendAsync(Get(server), body: body);

        Assert.Null(r.Body);
        Assert.Equal("hello world", HttpTest.Text(body.ToArray()));
        Assert.Equal(11, r.BodyBytes);
    }
}
