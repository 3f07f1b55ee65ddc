using System.Linq;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class PortListTests
{
    [Fact]
    public void A_list_of_ports_and_ranges_expands_in_the_order_given()
    {
        var ports = PortList.Parse("22,80,443,8000-8100");

        Assert.Equal(104, ports.Count);
        Assert.Equal(new[] { 22, 80, 443, 8000, 8001 }, ports.Take(5));
        Assert.Equal(8100, ports[^1]);
    }

    [Fact]
    public void Duplicates_are_dropped_keeping_the_first_place()
    {
        Assert.Equal(new[] { 80, 79, 81, 22 }, PortList.Parse("80, 79-81 ,80,22,81"));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("65535", 1)]
    [InlineData("1-65535", 65535)]
    [InlineData("7-7", 1)]
    public void Edge_ports_and_ranges_are_accepted(string text, int count)
    {
        Assert.Equal(count, PortList.Parse(text).Count);
    }

    [Theory]
    [InlineData("0", "port 0")]
    [InlineData("70000", "70000")]
    [InlineData("10-5", "10-5")]
    [InlineData("a", "'a'")]
    [InlineData("22,,80", "empty entry")]
    [InlineData("22,", "empty entry")]
    [InlineData("", "empty")]
    [InlineData("5-", "'5-'")]
    [InlineData("-5", "'-5'")]
    [InlineData("+80", "'+80'")]
    [InlineData("1-2-3", "'1-2-3'")]
    [InlineData("999999", "999999")]
    public void Bad_port_lists_fail_as_bad_input_naming_the_bad_piece(string text, string expected)
    {
        var e = Assert.Throws<NsockException>(() => PortList.Parse(text));

        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
    }
}
