using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class HttpOptionsMapperTests
{
    private static HttpParameters Get(string url = "http://127.0.0.1:8080/") => new() { Uri = new Uri(url) };

    [Fact]
    public void Defaults_are_those_of_nsock_http()
    {
        HttpRequestOptions o = HttpOptionsMapper.Map(Get());
        Assert.Equal("GET", o.Method);
        Assert.Equal(TimeSpan.FromSeconds(10), o.Timeout);
        Assert.Equal(0, o.FollowRedirects);
        Assert.False(o.Insecure);
        Assert.Null(o.Body);
        Assert.Empty(o.Headers);
    }

    [Fact]
    public void A_zero_timeout_is_no_limit() => Assert.Equal(Timeout.InfiniteTimeSpan, HttpOptionsMapper.Map(new HttpParameters { Uri = new Uri("http://h/"), Timeout = 0 }).Timeout);

    [Fact]
    public void Headers_keep_their_order_and_a_list_value_sends_the_header_per_item()
    {
        var headers = HttpOptionsMapper.Headers(new List<KeyValuePair<string, object?>>
        {
            new("X-One", "1"),
            new("Accept", new object[] { "text/plain", "text/html" }),
            new("X-Num", 5),
        });
        Assert.Equal(new[] { "X-One: 1", "Accept: text/plain", "Accept: text/html", "X-Num: 5" }, headers.Select(h => h.Name + ": " + h.Value));
    }

    [Fact]
    public void The_names_of_Invoke_WebRequest_map_to_the_engine_s_options()
    {
        HttpRequestOptions o = HttpOptionsMapper.Map(new HttpParameters
        {
            Uri = new Uri("https://127.0.0.1:8443/"), SkipCertificateCheck = true, ServerName = "example.test", MaximumRedirection = 3, Method = "POST", Body = new byte[] { 1 },
        });
        Assert.True(o.Insecure);
        Assert.Equal("example.test", o.Sni);
        Assert.Equal(3, o.FollowRedirects);
        Assert.Equal("POST", o.Method);
        Assert.Equal(new byte[] { 1 }, o.Body);
    }

    [Fact]
    public void Bad_combinations_are_bad_input()
    {
        Assert.Throws<NsockException>(() => HttpOptionsMapper.Map(new HttpParameters { Uri = new Uri("http://h/"), Body = new byte[1], InFile = new byte[1] }));
        Assert.Throws<NsockException>(() => HttpOptionsMapper.Map(new HttpParameters { Uri = new Uri("http://h/"), FixLineEndings = true }));
        Assert.Throws<NsockException>(() => HttpOptionsMapper.Map(new HttpParameters { Uri = new Uri("relative/path", UriKind.Relative) }));
        Assert.Throws<NsockException>(() => HttpOptionsMapper.Headers(new[] { new KeyValuePair<string, object?>(" ", "x") }));
    }
}
