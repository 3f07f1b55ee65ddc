using System;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class EndpointParserTests
{
    [Theory]
    [InlineData("127.0.0.1:80", Transport.Tcp, "127.0.0.1", 80)]
    [InlineData("[::1]:443", Transport.Tcp, "::1", 443)]
    [InlineData("udp://localhost:53", Transport.Udp, "localhost", 53)]
    [InlineData("8080", Transport.Tcp, null, 8080)]
    [InlineData(":0", Transport.Tcp, null, 0)]
    [InlineData("tcp://example.test:1", Transport.Tcp, "example.test", 1)]
    [InlineData("TCP://Example.Test:65535", Transport.Tcp, "Example.Test", 65535)]
    [InlineData("udp://[::1]:53", Transport.Udp, "::1", 53)]
    [InlineData("udp://:5353", Transport.Udp, null, 5353)]
    [InlineData("tcp://9000", Transport.Tcp, null, 9000)]
    [InlineData("0", Transport.Tcp, null, 0)]
    [InlineData("65535", Transport.Tcp, null, 65535)]
    [InlineData("host-name_1.example:22", Transport.Tcp, "host-name_1.example", 22)]
    [InlineData("fqdn.example.:22", Transport.Tcp, "fqdn.example.", 22)]
    [InlineData("[fe80::1:2]:7", Transport.Tcp, "fe80::1:2", 7)]
    [InlineData("  127.0.0.1:80  ", Transport.Tcp, "127.0.0.1", 80)]
    [InlineData("127.0.0.1:00080", Transport.Tcp, "127.0.0.1", 80)]
    public void Parses_good_endpoints(string text, Transport transport, string? host, int port)
    {
        Endpoint ep = EndpointParser.Parse(text);
        Assert.Equal(transport, ep.Transport);
        Assert.Equal(host, ep.Host);
        Assert.Equal(port, ep.Port);
        Assert.Null(ep.UnixPath);
    }

    [Theory]
    [InlineData("unix:/tmp/x.sock", "/tmp/x.sock")]
    [InlineData("unix:///run/nsock.sock", "/run/nsock.sock")]
    [InlineData("UNIX:/tmp/upper.sock", "/tmp/upper.sock")]
    [InlineData("unix:relative.sock", "relative.sock")]
    [InlineData("unix:/tmp/with:colon:80", "/tmp/with:colon:80")]
    public void Parses_unix_paths(string text, string path)
    {
        Endpoint ep = EndpointParser.Parse(text);
        Assert.Equal(Transport.Unix, ep.Transport);
        Assert.Equal(path, ep.UnixPath);
        Assert.Null(ep.Host);
        Assert.False(ep.IsAnyHost);
        Assert.Equal("unix:" + path, ep.ToString());
    }

    [Fact]
    public void Default_transport_applies_only_without_a_scheme()
    {
        Assert.Equal(Transport.Udp, EndpointParser.Parse("127.0.0.1:53", Transport.Udp).Transport);
        Assert.Equal(Transport.Tcp, EndpointParser.Parse("tcp://127.0.0.1:53", Transport.Udp).Transport);
        Assert.Equal(Transport.Udp, EndpointParser.Parse("udp://127.0.0.1:53", Transport.Tcp).Transport);
    }

    [Fact]
    public void Default_transport_unix_takes_the_whole_text_as_a_path()
    {
        Endpoint ep = EndpointParser.Parse("/tmp/a.sock", Transport.Unix);
        Assert.Equal(Transport.Unix, ep.Transport);
        Assert.Equal("/tmp/a.sock", ep.UnixPath);
    }

    [Theory]
    [InlineData("8080")]
    [InlineData(":8080")]
    [InlineData("tcp://:8080")]
    public void An_endpoint_without_host_means_every_interface(string text)
    {
        Endpoint ep = EndpointParser.Parse(text);
        Assert.True(ep.IsAnyHost);
        Assert.Null(ep.Host);
    }

    [Theory]
    [InlineData("127.0.0.1:80", "tcp://127.0.0.1:80")]
    [InlineData("[::1]:443", "tcp://[::1]:443")]
    [InlineData("udp://[::1]:53", "udp://[::1]:53")]
    [InlineData(":7", "tcp://:7")]
    public void ToString_writes_the_endpoint_back_with_its_scheme_and_parses_to_the_same_endpoint(string text, string shown)
    {
        Endpoint ep = EndpointParser.Parse(text);
        Assert.Equal(shown, ep.ToString());
        Assert.Equal(ep, EndpointParser.Parse(ep.ToString()));
    }

    [Theory]
    [InlineData("host:70000", "70000")]
    [InlineData("host:65536", "port 65536 is out of range")]
    [InlineData("host:123456", "out of range")]
    [InlineData("65536", "port 65536 is out of range")]
    [InlineData("host:", "port is missing after 'host:'")]
    [InlineData("[::1]:", "port is missing")]
    [InlineData("[::1]", "port is missing after '[::1]'")]
    [InlineData("[::1]80", "port is missing after '[::1]'")]
    [InlineData("[::1:80", "missing ']'")]
    [InlineData("[]:80", "'[]' is not an IPv6 address")]
    [InlineData("[127.0.0.1]:80", "'[127.0.0.1]' is not an IPv6 address")]
    [InlineData("[not-an-address]:80", "'[not-an-address]' is not an IPv6 address")]
    [InlineData("ftp://host:21", "unknown scheme 'ftp'")]
    [InlineData("http://host:80", "unknown scheme 'http'")]
    [InlineData("://host:80", "unknown scheme ''")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("localhost", "port is missing in 'localhost'")]
    [InlineData("::1", "IPv6 addresses need brackets")]
    [InlineData("::1:80", "IPv6 addresses need brackets")]
    [InlineData("fe80::1:443", "IPv6 addresses need brackets")]
    [InlineData("host:http", "'http' is not a port number")]
    [InlineData("host:-1", "'-1' is not a port number")]
    [InlineData("host:+80", "'+80' is not a port number")]
    [InlineData("host:8 0", "'8 0' is not a port number")]
    [InlineData("tcp://host:80/", "'80/' is not a port number")]
    [InlineData(":", "port is missing")]
    [InlineData("tcp://", "port is missing")]
    [InlineData("bad host:80", "contains ' '")]
    [InlineData("bad/host:80", "contains '/'")]
    [InlineData("bad$host:80", "contains '$'")]
    [InlineData("b\u00e4d:80", "contains '\u00e4'")]
    [InlineData(".leading.dot:80", "empty label")]
    [InlineData("double..dot:80", "empty label")]
    [InlineData("unix:", "unix socket path is empty")]
    [InlineData("unix://", "unix socket path is empty")]
    [InlineData("unix:/tmp/a\0b", "NUL")]
    public void Rejects_bad_endpoints_naming_the_bad_part(string text, string expected)
    {
        var e = Assert.Throws<NsockException>(() => EndpointParser.Parse(text));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Rejects_a_missing_endpoint()
    {
        var e = Assert.Throws<NsockException>(() => EndpointParser.Parse(null!));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Rejects_a_host_name_longer_than_253_characters()
    {
        string host = string.Join(".", new string('a', 63), new string('b', 63), new string('c', 63), new string('d', 63));
        Assert.Equal(255, host.Length);
        var e = Assert.Throws<NsockException>(() => EndpointParser.Parse(host + ":80"));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("longer than 253", e.Message);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("65535", 65535)]
    [InlineData("1", 1)]
    public void ParsePort_accepts_the_whole_range(string text, int port) =>
        Assert.Equal(port, EndpointParser.ParsePort(text, "test"));

    [Theory]
    [InlineData("65536")]
    [InlineData("70000")]
    [InlineData("99999999999")]
    [InlineData("")]
    [InlineData("1e3")]
    public void ParsePort_rejects_what_is_not_a_port(string text)
    {
        var e = Assert.Throws<NsockException>(() => EndpointParser.ParsePort(text, "ctx"));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("'ctx'", e.Message);
    }

    [Fact]
    public void The_message_quotes_the_original_text_so_the_user_sees_what_they_typed()
    {
        var e = Assert.Throws<NsockException>(() => EndpointParser.Parse("udp://bad host:53"));
        Assert.Contains("'udp://bad host:53'", e.Message, StringComparison.Ordinal);
    }
}
