using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Redirects: shown by default, followed only when asked, and then only the final body is kept.</summary>
public sealed class HttpRedirectTests
{
    // /start -> 302 /next -> 302 /final -> 200; each redirect carries a body of its own that must not leak into the result.
    private static ScriptedHttpServer Chain(int status = 302) => new(c =>
    {
        string line = c.RequestLine;
        if (line.Contains(" /start ")) return c.WriteAsync($"HTTP/1.1 {status} Moved\r\nLocation: /next\r\nContent-Length: 13\r\n\r\nredirect body");
        if (line.Contains(" /next ")) return c.WriteAsync($"HTTP/1.1 {status} Moved\r\nLocation: http://127.0.0.1:{((IPEndPoint)c.Socket.LocalEndPoint!).Port}/final\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nnext\r\n0\r\n\r\n");
        return c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nfinal body");
    });

    [Fact]
    public async Task Redirect_is_shown_with_its_location_and_not_followed_by_default()
    {
        await using ScriptedHttpServer server = Chain();

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url("/start"), Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(302, r.Status);
        Assert.Equal("/next", r.Location);
        Assert.Empty(r.Redirects);
        Assert.Equal("redirect body", HttpTest.Text(r.Body));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Followed_redirects_send_a_new_request_each_and_keep_only_the_final_body()
    {
        await using ScriptedHttpServer server = Chain();
        var body = new MemoryStream();

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url("/start"), FollowRedirects = 5, Timeout = TimeSpan.FromSeconds(5) }, body: body);

        Assert.Equal(200, r.Status);
        Assert.Equal("final body", HttpTest.Text(body.ToArray()));
        Assert.Equal(10, r.BodyBytes);
        Assert.Null(r.Location);
        Assert.Equal(server.Url("/final").ToString(), r.Url);
        Assert.Equal(new[]
        {
            new HttpRedirect(server.Url("/start").ToString(), 302, "/next"),
            new HttpRedirect(server.Url("/next").ToString(), 302, server.Url("/final").ToString()),
        }, r.Redirects);
        Assert.Equal(new[] { "GET /start HTTP/1.1", "GET /next HTTP/1.1", "GET /final HTTP/1.1" },
            server.RequestTexts.Select(t => t.Substring(0, t.IndexOf('\r'))));
    }

    [Fact]
    public async Task Redirects_past_the_limit_are_returned_with_their_location()
    {
        await using ScriptedHttpServer server = Chain();

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url("/start"), FollowRedirects = 1, Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(302, r.Status);
        Assert.Equal(server.Url("/final").ToString(), r.Location);
        Assert.Equal("next", HttpTest.Text(r.Body));
        Assert.Single(r.Redirects);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(302, "GET", false)]
    [InlineData(303, "GET", false)]
    [InlineData(307, "POST", true)]
    [InlineData(308, "POST", true)]
    public async Task Post_redirected_becomes_a_get_without_body_except_for_307_and_308(int status, string method, bool keepsBody)
    {
        await using ScriptedHttpServer server = Chain(status);

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions
        {
            Url = server.Url("/start"), Method = "POST", Body = HttpTest.Bytes("k=v"), FollowRedirects = 1, Timeout = TimeSpan.FromSeconds(5),
        });

        Assert.Equal(status, r.Status);
        string second = server.RequestTexts[1];
        Assert.StartsWith(method + " /next HTTP/1.1\r\n", second);
        Assert.Equal(keepsBody, second.EndsWith("\r\n\r\nk=v", StringComparison.Ordinal));
        Assert.Equal(keepsBody, second.Contains("Content-Length: 3\r\n"));
    }

    [Fact]
    public async Task Redirect_out_of_http_is_refused_as_bad_input()
    {
        await using var server = ScriptedHttpServer.Answering("HTTP/1.1 301 Moved\r\nLocation: ftp://127.0.0.1/file\r\nContent-Length: 0\r\n\r\n");

        NsockException e = await HttpTest.FailsAsync(new HttpRequestOptions { Url = server.Url("/"), FollowRedirects = 3, Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("ftp://127.0.0.1/file", e.Message);
        Assert.Single(server.Requests);
    }
}
