using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>The request nsock builds: default headers, user headers replacing them, bodies, and input it refuses.</summary>
public sealed class HttpRequestBuildingTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    private static string[] Lines(string request) => request.Substring(0, request.IndexOf("\r\n\r\n", StringComparison.Ordinal)).Split("\r\n");

    [Fact]
    public async Task Default_request_names_the_host_with_its_port_and_asks_to_close()
    {
        await using var server = ScriptedHttpServer.Answering(Ok);

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url("/a%20b/c?q=1&r=x%2Fy"), Timeout = TimeSpan.FromSeconds(5) });

        string sent = Assert.Single(server.RequestTexts);
        Assert.Equal(sent, HttpTest.Text(r.Request));
        Assert.EndsWith("\r\n\r\n", sent);
        string[] lines = Lines(sent);
        Assert.Equal("GET /a%20b/c?q=1&r=x%2Fy HTTP/1.1", lines[0]);
        Assert.Equal($"Host: 127.0.0.1:{server.Port}", lines[1]);
        Assert.StartsWith("User-Agent: nsock/", lines[2]);
        Assert.Equal(new[] { "Accept: */*", "Connection: close" }, lines.Skip(3));
    }

    [Fact]
    public async Task IPv6_host_is_sent_in_brackets_with_its_port()
    {
        await using var server = new ScriptedHttpServer(c => c.WriteAsync(Ok), IPAddress.IPv6Loopback);

        HttpResponse r = await HttpTest.SendAsync(new HttpRequestOptions { Url = new Uri($"http://[::1]:{server.Port}/"), Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(200, r.Status);
        Assert.Contains($"\r\nHost: [::1]:{server.Port}\r\n", Assert.Single(server.RequestTexts));
        Assert.Equal($"[::1]:{server.Port}", r.Remote);
    }

    [Fact]
    public async Task User_headers_replace_the_defaults_they_name_and_follow_in_their_order()
    {
        await using var server = ScriptedHttpServer.Answering(Ok);
        var headers = new[]
        {
            new HttpHeader("X-First", "1"),
            new HttpHeader("host", "example.test"),
            new HttpHeader("Connection", "keep-alive"),
            new HttpHeader("User-Agent", "curl/8.0"),
            new HttpHeader("X-First", "2"),
        };

        await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url(), Headers = headers, Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(new[] { "GET / HTTP/1.1", "Accept: */*", "X-First: 1", "host: example.test", "Connection: keep-alive", "User-Agent: curl/8.0", "X-First: 2" },
            Lines(Assert.Single(server.RequestTexts)));
    }

    [Fact]
    public async Task Body_is_sent_after_a_content_length()
    {
        await using var server = ScriptedHttpServer.Answering(Ok);

        await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url("/form"), Method = "POST", Body = HttpTest.Bytes("name=nsock&x=\u00e9"), Timeout = TimeSpan.FromSeconds(5) });

        string sent = Assert.Single(server.RequestTexts);
        Assert.StartsWith("POST /form HTTP/1.1\r\n", sent);
        Assert.Contains("\r\nContent-Length: 14\r\n", sent);
        Assert.EndsWith("\r\n\r\nname=nsock&x=\u00e9", sent);
    }

    [Fact]
    public async Task User_content_length_is_sent_instead_of_the_computed_one()
    {
        await using var server = ScriptedHttpServer.Answering(Ok);

        await HttpTest.SendAsync(new HttpRequestOptions
        {
            Url = server.Url(), Method = "PUT", Body = HttpTest.Bytes("abc"), Headers = new[] { new HttpHeader("Content-Length", "3") }, Timeout = TimeSpan.FromSeconds(5),
        });

        Assert.Single(Lines(Assert.Single(server.RequestTexts)), l => l.StartsWith("Content-Length", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task HTTP_1_0_and_keep_alive_change_the_request_line_and_drop_connection_close()
    {
        await using var server = ScriptedHttpServer.Answering(Ok);

        await HttpTest.SendAsync(new HttpRequestOptions { Url = server.Url(), Http10 = true, KeepAlive = true, Timeout = TimeSpan.FromSeconds(5) });

        string[] lines = Lines(Assert.Single(server.RequestTexts));
        Assert.Equal("GET / HTTP/1.0", lines[0]);
        Assert.DoesNotContain(lines, l => l.StartsWith("Connection", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Bad Name", "x", "header name 'Bad Name'")]
    [InlineData("X-Colon:", "x", "header name 'X-Colon:'")]
    [InlineData("", "x", "header name is empty")]
    [InlineData("X-Inject", "a\r\nInjected: 1", "line break")]
    [InlineData("X-Lf", "a\nb", "line break")]
    [InlineData("X-Nul", "a\0b", "NUL")]
    public async Task Bad_header_is_bad_input_naming_the_header(string name, string value, string expected)
    {
        await using var server = ScriptedHttpServer.Answering(Ok);

        NsockException e = await HttpTest.FailsAsync(new HttpRequestOptions { Url = server.Url(), Headers = new[] { new HttpHeader(name, value) }, Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain(server.Requests, r => r.Length > 0);
    }

    [Fact]
    public async Task Bad_method_is_bad_input()
    {
        await using var server = ScriptedHttpServer.Answering(Ok);

        NsockException e = await HttpTest.FailsAsync(new HttpRequestOptions { Url = server.Url(), Method = "GE T", Timeout = TimeSpan.FromSeconds(5) });

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("method 'GE T'", e.Message);
    }

    [Fact]
    public async Task Bad_header_is_refused_before_any_connection_is_made()
    {
        // NsockErrorKind.BadInput promises "Nothing was opened". A bare listener with no accept loop: a connection
        // the engine opened would sit in its accept queue.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var options = new HttpRequestOptions { Url = new Uri($"http://127.0.0.1:{port}/"), Headers = new[] { new HttpHeader("X-Inject", "a\r\nb") }, Timeout = TimeSpan.FromSeconds(2) };

            NsockException e = await HttpTest.FailsAsync(options);

            Assert.Equal(NsockErrorKind.BadInput, e.Kind);
            Assert.False(listener.Pending(), "the engine connected before rejecting the header");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/file")]
    [InlineData("file:///etc/hostname")]
    [InlineData("ws://127.0.0.1:1/")]
    public async Task Url_that_is_not_http_is_bad_input(string url)
    {
        NsockException e = await HttpTest.FailsAsync(new HttpRequestOptions { Url = new Uri(url) });

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("is not an http:// or https:// URL", e.Message);
    }

    [Fact]
    public async Task Relative_url_negative_redirect_count_and_zero_timeout_are_bad_input()
    {
        NsockException relative = await HttpTest.FailsAsync(new HttpRequestOptions { Url = new Uri("/just/a/path", UriKind.Relative) });
        NsockException redirects = await HttpTest.FailsAsync(new HttpRequestOptions { Url = new Uri("http://127.0.0.1:1/"), FollowRedirects = -1 });
        NsockException timeout = await HttpTest.FailsAsync(new HttpRequestOptions { Url = new Uri("http://127.0.0.1:1/"), Timeout = TimeSpan.Zero });

        Assert.Equal(NsockErrorKind.BadInput, relative.Kind);
        Assert.Equal(NsockErrorKind.BadInput, redirects.Kind);
        Assert.Contains("-1", redirects.Message);
        Assert.Equal(NsockErrorKind.BadInput, timeout.Kind);
        Assert.Contains("timeout", timeout.Message);
    }
}
