using System.Net;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class CidrBlockTests
{
    [Theory]
    [InlineData("127.0.0.0/8", "127.0.0.0/8")]
    [InlineData("198.51.100.77/8", "198.0.0.0/8")]
    [InlineData("203.0.113.77/24", "203.0.113.0/24")]
    [InlineData("203.0.113.77/25", "203.0.113.0/25")]
    [InlineData("203.0.113.200/25", "203.0.113.128/25")]
    [InlineData("127.0.0.1", "127.0.0.1/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("::1", "::1/128")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    [InlineData("::/0", "::/0")]
    [InlineData(" 127.0.0.1/32 ", "127.0.0.1/32")]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1/32")]
    public void Parses_a_block_and_clears_its_host_bits(string text, string shown) =>
        Assert.Equal(shown, CidrBlock.Parse(text).ToString());

    [Theory]
    [InlineData("127.0.0.0/8", "127.0.0.1", true)]
    [InlineData("127.0.0.0/8", "127.255.255.255", true)]
    [InlineData("127.0.0.0/8", "128.0.0.1", false)]
    [InlineData("127.0.0.0/8", "126.255.255.255", false)]
    [InlineData("203.0.113.0/25", "203.0.113.127", true)]
    [InlineData("203.0.113.0/25", "203.0.113.128", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("0.0.0.0/0", "::1", false)]
    [InlineData("::/0", "::1", true)]
    [InlineData("::/0", "127.0.0.1", false)]
    [InlineData("::1", "::1", true)]
    [InlineData("::1", "::2", false)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("127.0.0.0/8", "::ffff:127.0.0.1", true)]
    [InlineData("127.0.0.0/8", "::ffff:198.51.100.1", false)]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", true)]
    [InlineData("::1", "127.0.0.1", false)]
    public void Contains_only_addresses_inside_the_block(string block, string address, bool inside) =>
        Assert.Equal(inside, CidrBlock.Parse(block).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("abc", "'abc' is not an IP address")]
    [InlineData("localhost/8", "'localhost' is not an IP address")]
    [InlineData("198.51.100.0/33", "'/33' is not a prefix length 0-32")]
    [InlineData("::1/129", "'/129' is not a prefix length 0-128")]
    [InlineData("198.51.100.0/-1", "'/-1'")]
    [InlineData("198.51.100.0/", "'/'")]
    [InlineData("198.51.100.0/8/8", "'/8/8'")]
    [InlineData("198.51.100.0/ 8", "'/ 8'")]
    [InlineData("198.51.100.0/eight", "'/eight'")]
    [InlineData("fe80::1%2", "is not an IP address")]
    [InlineData("300.1.1.1/8", "'300.1.1.1' is not an IP address")]
    public void Rejects_bad_blocks_naming_the_bad_part(string text, string expected)
    {
        var e = Assert.Throws<NsockException>(() => CidrBlock.Parse(text));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    public void Normalize_turns_ipv4_mapped_addresses_into_ipv4(string address, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), CidrBlock.Normalize(IPAddress.Parse(address)));

    // An IPv4-mapped block written the IPv6 way (what a dual-stack listener's peers look like) names IPv4
    // peers: ::ffff:127.0.0.0/104 is 127.0.0.0/8.
    [Fact]
    public void An_ipv4_mapped_block_with_an_ipv6_prefix_length_means_the_ipv4_block()
    {
        CidrBlock block = CidrBlock.Parse("::ffff:127.0.0.0/104");
        Assert.True(block.Contains(IPAddress.Parse("127.1.2.3")));
        Assert.False(block.Contains(IPAddress.Parse("128.1.2.3")));
    }

    // .NET's IPAddress.TryParse reads "10" as the 32-bit number 10 (0.0.0.10), so "--deny 10/8" would silently
    // deny 0.0.0.0/8 instead of 10.0.0.0/8. A filter must not silently mean something else: reject the shorthand
    // (or honour it as 10.0.0.0/8).
    [Theory]
    [InlineData("198/8", "198.51.100.7")]
    [InlineData("203.0/16", "203.0.113.7")]
    public void A_shorthand_ipv4_block_is_rejected_or_means_what_it_says(string text, string inside)
    {
        CidrBlock block;
        try
        {
            block = CidrBlock.Parse(text);
        }
        catch (NsockException e) when (e.Kind == NsockErrorKind.BadInput)
        {
            return; // rejected: fine
        }
        Assert.True(block.Contains(IPAddress.Parse(inside)), $"'{text}' parsed as {block}, which does not contain {inside}");
    }
}
