using System;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Raw requests go out byte for byte; the raw output gets every response byte untouched.</summary>
public sealed class HttpRawTests
{
    private const string ChunkedResponse = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6;ext=1\r\nhello \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n";

    [Fact]
    public async Task LF_only_raw_request_from_the_tutorials_is_sent_byte_for_byte()
    {
        byte[] request = HttpTest.Bytes("GET / HTTP/1.0\n\n");
        await using var server = ScriptedHttpServer.Answering("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi");
        var events = new HttpEventRecorder();

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url(), RawRequest = request, Timeout = TimeSpan.FromSeconds(5) }, events: events);

        Assert.Equal(request, Assert.Single(server.Requests));
        Assert.Equal(request, r.Request);
        HttpRequestSent sent = Assert.Single(events.Of<HttpRequestSent>());
        Assert.Equal(request, sent.Request);
        Assert.Equal($"127.0.0.1:{server.Port}", sent.Remote);
        Assert.Equal("hi", HttpTest.Text(r.Body));
    }

    [Fact]
    public async Task Fixing_line_endings_turns_bare_LF_into_CRLF_and_leaves_CRLF_alone()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        var events = new HttpEventRecorder();

        HttpResponse first = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url(), RawRequest = HttpTest.Bytes("GET / HTTP/1.0\n\n"), FixLineEndings = true, Timeout = TimeSpan.FromSeconds(5) }, events: events);
        HttpResponse second = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url(), RawRequest = HttpTest.Bytes("GET /x HTTP/1.0\r\nA: 1\n\r\n"), FixLineEndings = true, Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(new[] { "GET / HTTP/1.0\r\n\r\n", "GET /x HTTP/1.0\r\nA: 1\r\n\r\n" }, server.RequestTexts);
        Assert.Equal("GET / HTTP/1.0\r\n\r\n", HttpTest.Text(first.Request));
        Assert.Equal("GET / HTTP/1.0\r\n\r\n", HttpTest.Text(Assert.Single(events.Of<HttpRequestSent>()).Request));
        Assert.Equal(200, second.Status);
    }

    [Fact]
    public async Task Malformed_raw_request_is_sent_as_given()
    {
        byte[] request = HttpTest.Bytes("BREW /pot HTTP/9.9\r\nHost:\r\nX: \u00ff\r\n\r\n");
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 0\r\n\r\n");

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url(), RawRequest = request, Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(request, Assert.Single(server.Requests));
        Assert.Equal(418, r.Status);
        Assert.Equal("I'm a teapot", r.Reason);
    }

    [Fact]
    public async Task Raw_HEAD_request_does_not_wait_for_the_body_its_response_announces()
    {
        // "printf 'HEAD / HTTP/1.0\r\n\r\n' | nsock http URL --raw-request -": the response to a HEAD has no body
        // whatever its Content-Length says, and this server keeps the connection open after the head.
        await using var server = new ScriptedHttpServer(async c =>
        {
            await c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
            await c.WaitForClientCloseAsync(TimeSpan.FromSeconds(10));
        });
        var options = new HttpRequestOptions { Url = server.Url(), RawRequest = HttpTest.Bytes("HEAD / HTTP/1.0\r\n\r\n"), Timeout = TimeSpan.FromSeconds(2) };

        HttpResponse r = await RawHttpClient.SendAsync(options, null, null, new HttpEventRecorder(), default).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(200, r.Status);
        Assert.Equal(HttpFraming.None, r.Framing);
        Assert.Equal(0, r.BodyBytes);
    }

    [Fact]
    public async Task Raw_output_gets_every_response_byte_untouched_and_the_body_stream_only_the_decoded_body()
    {
        const string response = "HTTP/1.1 100 Continue\r\n\r\n" + ChunkedResponse;
        await using var server = ScriptedHttpServer.Answering(response);
        var raw = new MemoryStream();
        var body = new MemoryStream();

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url(), Timeout = TimeSpan.FromSeconds(5) }, body: body, raw: raw);

        Assert.Equal(response, HttpTest.Text(raw.ToArray()));
        Assert.Equal(raw.Length, r.RawBytes);
        Assert.Equal("hello world", HttpTest.Text(body.ToArray()));
        Assert.Equal(11, r.BodyBytes);
        Assert.Null(r.Body);
        Assert.Equal(new[] { new HttpHeader("X-Trailer", "t") }, r.Trailers);
    }

    [Fact]
    public async Task Raw_output_gets_the_bytes_read_before_a_protocol_error()
    {
        const string response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nnope\r\n";
        await using var server = ScriptedHttpServer.Answering(response);
        var raw = new MemoryStream();

        NsockException e = await HttpTest.FailsAsync(new HttpRequestOptions { Url = server.Url(), Timeout = TimeSpan.FromSeconds(5) }, raw: raw);

        Assert.Contains("'nope'", e.Message);
        Assert.Equal(response, HttpTest.Text(raw.ToArray()));
    }
}
