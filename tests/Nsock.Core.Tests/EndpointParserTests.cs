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
    public void Parses_good_endpoints(string text, Transport transport, string? host, int port)
    {
        Endpoint ep = EndpointParser.Parse(text);
        Assert.Equal(transport, ep.Transport);
        Assert.Equal(host, ep.Host);
        Assert.Equal(port, ep.Port);
    }

    [Theory]
    [InlineData("host:70000", "70000")]
    [InlineData("host:", "port is missing")]
    [InlineData("ftp://host:21", "unknown scheme 'ftp'")]
    [InlineData("", "empty")]
    public void Rejects_bad_endpoints_naming_the_bad_part(string text, string expected)
    {
        var e = Assert.Throws<NsockException>(() => EndpointParser.Parse(text));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
    }
}
