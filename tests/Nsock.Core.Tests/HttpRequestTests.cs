using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

// The rules of the http verb, written once in HttpRequest and named in each face's spelling.
public sealed class HttpRequestTests
{
    // A face's spelling, as the command and the module supply theirs.
    private sealed class Dashes : IOptionNames
    {
        public string Option(NsockOption option) => "-" + option;

        public string Verb(NsockVerb verb) => verb + "-Verb";
    }

    private static readonly IOptionNames s_names = new Dashes();

    private static HttpRequest Get(string url = "http://127.0.0.1:8080/") => new() { Url = url };

    private static NsockException BadInput(HttpRequest request)
    {
        var e = Assert.Throws<NsockException>(() => request.Validate(s_names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        return e;
    }

    [Fact]
    public void Defaults_are_get_a_ten_second_timeout_no_redirects_and_either_family()
    {
        HttpRequestOptions o = Get().Validate(s_names).Options;
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), o.Url);
        Assert.Equal("GET", o.Method);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Timeout);
        Assert.Equal(0, o.FollowRedirects);
        Assert.Equal(IpVersion.Any, o.IpVersion);
        Assert.False(o.Insecure);
        Assert.False(o.Http10);
        Assert.False(o.KeepAlive);
        Assert.Null(o.Body);
        Assert.Null(o.RawRequest);
        Assert.Null(o.Sni);
        Assert.Empty(o.Headers);
        Assert.Same(s_names, o.Names); // the TLS failure names the face's skip flag
    }

    [Fact]
    public void Given_values_reach_the_exchange()
    {
        HttpRequestOptions o = new HttpRequest
        {
            Url = "https://127.0.0.1:8443/x?y=1", Method = "POST", Body = new byte[] { 1 }, Http10 = true, KeepAlive = true, Insecure = true,
            Sni = "example.test", Timeout = 2.5, FollowRedirects = 3, IPv6 = true,
        }.Validate(s_names).Options;
        Assert.Equal("POST", o.Method);
        Assert.Equal(new byte[] { 1 }, o.Body);
        Assert.True(o.Http10);
        Assert.True(o.KeepAlive);
        Assert.True(o.Insecure);
        Assert.Equal("example.test", o.Sni);
        Assert.Equal(TimeSpan.FromSeconds(2.5), o.Timeout);
        Assert.Equal(3, o.FollowRedirects);
        Assert.Equal(IpVersion.V6, o.IpVersion);
    }

    [Fact]
    public void A_zero_timeout_is_no_limit() => Assert.Equal(Timeout.InfiniteTimeSpan, (Get() with { Timeout = 0 }).Validate(s_names).Options.Timeout);

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_bad_timeout_is_named_in_the_face_s_spelling(double seconds) =>
        Assert.StartsWith("-Timeout must be 0 or a positive number of seconds", BadInput(Get() with { Timeout = seconds }).Message);

    [Theory]
    [InlineData("not a url", "'not a url' is not a URL (use http://host[:port]/path or https://...)")]
    [InlineData("relative/path", "'relative/path' is not a URL (use http://host[:port]/path or https://...)")]
    [InlineData("ftp://127.0.0.1/file", "'ftp://127.0.0.1/file' is not an http:// or https:// URL")]
    public void The_url_must_be_absolute_http_or_https(string url, string message) => Assert.Equal(message, BadInput(Get(url)).Message);

    [Fact]
    public void A_body_file_is_the_body_and_excludes_a_body_value()
    {
        Assert.Equal(new byte[] { 7 }, (Get() with { BodyFile = new byte[] { 7 } }).Validate(s_names).Options.Body);
        Assert.Equal("give -Body or -BodyFile, not both", BadInput(Get() with { Body = new byte[1], BodyFile = new byte[1] }).Message);
    }

    [Fact]
    public void Fixing_line_endings_needs_a_raw_request()
    {
        Assert.Equal("-FixLineEndings applies to -RawRequest only", BadInput(Get() with { FixLineEndings = true }).Message);
        HttpRequestOptions o = (Get() with { RawRequest = new byte[] { (byte)'x' }, FixLineEndings = true }).Validate(s_names).Options;
        Assert.True(o.FixLineEndings);
    }

    [Fact]
    public void Headers_are_trimmed_and_keep_their_order()
    {
        HttpRequestOptions o = (Get() with { Headers = new[] { new HttpHeader(" X-One ", " 1 "), new HttpHeader("Accept", "text/plain"), new HttpHeader("Accept", "text/html") } }).Validate(s_names).Options;
        Assert.Equal(new[] { "X-One: 1", "Accept: text/plain", "Accept: text/html" }, o.Headers.Select(h => h.Name + ": " + h.Value));
    }

    [Fact]
    public void A_header_http_cannot_carry_is_bad_input_before_anything_opens()
    {
        Assert.Equal("a header name in -Headers is empty", BadInput(Get() with { Headers = new[] { new HttpHeader("  ", "x") } }).Message);
        Assert.Equal("header name 'Bad Name' contains ' ', which HTTP does not allow there", BadInput(Get() with { Headers = new[] { new HttpHeader("Bad Name", "x") } }).Message);
        Assert.Equal("header 'X-A' has a line break or NUL in its value", BadInput(Get() with { Headers = new[] { new HttpHeader("X-A", "a\r\nX-B: b") } }).Message);
    }

    [Fact]
    public void The_method_is_sent_as_given_but_must_be_a_token()
    {
        Assert.Equal("PATCH", (Get() with { Method = "PATCH" }).Validate(s_names).Options.Method);
        Assert.Equal("method 'BAD METHOD' contains ' ', which HTTP does not allow there", BadInput(Get() with { Method = "BAD METHOD" }).Message);
        Assert.Equal("method is empty", BadInput(Get() with { Method = "" }).Message);
        // A raw request is sent as it is: the method and headers are not built, so not checked.
        Assert.Equal("BAD METHOD", (Get() with { Method = "BAD METHOD", RawRequest = new byte[] { (byte)'x' } }).Validate(s_names).Options.Method);
    }

    [Fact]
    public void Redirects_to_follow_are_zero_or_more()
    {
        Assert.Equal("-FollowRedirects must be 0 or more, not -1", BadInput(Get() with { FollowRedirects = -1 }).Message);
        Assert.Equal(0, (Get() with { FollowRedirects = 0 }).Validate(s_names).Options.FollowRedirects);
    }

    [Fact]
    public void IPv4_and_IPv6_exclude_each_other() =>
        Assert.Equal("-IPv4 and -IPv6 exclude each other: give one", BadInput(Get() with { IPv4 = true, IPv6 = true }).Message);

    [Fact]
    public async Task A_status_of_400_or_more_is_a_response_not_a_failure()
    {
        await using ScriptedHttpServer server = ScriptedHttpServer.Answering("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope");
        HttpPlan plan = Get(server.Url("/missing").ToString()).Validate(s_names);

        HttpOutcome outcome = await plan.RunAsync(null, null, new HttpEventRecorder(), CancellationToken.None).WaitAsync(HttpTest.Bound);

        Assert.Equal(404, outcome.Response.Status);
        Assert.Equal("nope", HttpTest.Text(outcome.Response.Body));
        Assert.False(outcome.RedirectNotFollowed);
    }

    [Fact]
    public async Task A_redirect_not_asked_to_be_followed_is_said_to_be_so()
    {
        await using ScriptedHttpServer server = new(c => c.RequestLine.Contains(" /start ")
            ? c.WriteAsync("HTTP/1.1 301 Moved\r\nLocation: /next\r\nContent-Length: 0\r\n\r\n")
            : c.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

        HttpOutcome shown = await Get(server.Url("/start").ToString()).Validate(s_names).RunAsync(null, null, new HttpEventRecorder(), CancellationToken.None).WaitAsync(HttpTest.Bound);
        HttpOutcome followed = await (Get(server.Url("/start").ToString()) with { FollowRedirects = 1 }).Validate(s_names).RunAsync(null, null, new HttpEventRecorder(), CancellationToken.None).WaitAsync(HttpTest.Bound);

        Assert.True(shown.RedirectNotFollowed);
        Assert.Equal("/next", shown.Response.Location);
        Assert.False(followed.RedirectNotFollowed);
        Assert.Equal(200, followed.Response.Status);
    }
}
