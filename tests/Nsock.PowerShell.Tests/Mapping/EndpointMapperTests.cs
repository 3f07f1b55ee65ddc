using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class EndpointMapperTests
{
    [Theory]
    [InlineData("127.0.0.1", 9000, "127.0.0.1:9000")]
    [InlineData("::1", 80, "[::1]:80")]
    [InlineData("[::1]", 80, "[::1]:80")]
    [InlineData("localhost", 1, "localhost:1")]
    [InlineData(null, 0, ":0")]
    [InlineData("  ", 7, ":7")]
    public void ComputerName_and_Port_join_as_the_command_s_parser_reads_them(string? host, int port, string text) =>
        Assert.Equal(text, EndpointMapper.Join(host, port));

    [Fact]
    public void ComputerName_and_Port_make_a_tcp_endpoint_and_Udp_a_udp_one()
    {
        Assert.Equal(new Endpoint(Transport.Tcp, "127.0.0.1", 9), ForConnect(null, "127.0.0.1", 9, udp: false));
        Assert.Equal(new Endpoint(Transport.Udp, "::1", 9), ForConnect(null, "::1", 9, udp: true));
    }

    [Fact]
    public void Endpoint_takes_the_command_s_syntax()
    {
        Assert.Equal(Transport.Unix, ForConnect("unix:/tmp/x.sock", null, null, udp: false).Transport);
        Assert.Equal(Transport.Udp, ForConnect("udp://127.0.0.1:9", null, null, udp: false).Transport);
        Assert.Equal(Transport.Udp, ForConnect("udp://127.0.0.1:9", null, null, udp: true).Transport);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:9", true)]
    [InlineData("unix:/tmp/x.sock", true)]
    [InlineData("127.0.0.1:70000", false)]
    [InlineData("::1:80", false)]
    [InlineData("bogus://x:1", false)]
    public void Bad_endpoints_are_bad_input_before_anything_is_opened(string endpoint, bool udp)
    {
        var e = Assert.Throws<NsockException>(() => ForConnect(endpoint, null, null, udp));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
    }

    [Fact]
    public void Udp_with_a_tcp_scheme_names_the_conflict()
    {
        var e = Assert.Throws<NsockException>(() => ForConnect("tcp://127.0.0.1:9", null, null, udp: true));
        Assert.Contains("-Udp", e.Message);
    }

    [Fact]
    public void A_listener_without_an_address_listens_on_every_interface()
    {
        Endpoint ep = EndpointMapper.ForListen(null, null, 0, udp: false);
        Assert.True(ep.IsAnyHost);
        Assert.Equal(0, ep.Port);
    }

    // A connecting cmdlet's -Endpoint/-ComputerName/-Port/-Udp as the mapper parses them; whether the endpoint can be
    // connected to (a host, a port other than 0) is the engine's rule, tested with the requests (ConnectorErrorTests).
    private static Endpoint ForConnect(string? endpoint, string? computerName, int? port, bool udp) =>
        EndpointMapper.ParseTarget(endpoint, computerName, port, udp ? Transport.Udp : Transport.Tcp, udp ? "-Udp" : null);
}
