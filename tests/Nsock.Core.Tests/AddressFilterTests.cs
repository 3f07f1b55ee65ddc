using System.Net;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class AddressFilterTests
{
    [Fact]
    public void An_empty_filter_lets_everyone_in()
    {
        AddressFilter filter = AddressFilter.Parse(null, null);
        Assert.True(filter.IsOpen);
        Assert.Null(filter.RefusalReason(IPAddress.Loopback));
        Assert.Null(filter.RefusalReason(IPAddress.IPv6Loopback));
        Assert.True(AddressFilter.AllowAll.IsOpen);
    }

    [Fact]
    public void Deny_refuses_addresses_in_the_block_and_says_which_block()
    {
        AddressFilter filter = AddressFilter.Parse(null, new[] { "127.0.0.0/8" });
        Assert.False(filter.IsOpen);
        Assert.Equal("denied by 127.0.0.0/8", filter.RefusalReason(IPAddress.Parse("127.0.0.1")));
        Assert.Null(filter.RefusalReason(IPAddress.Parse("198.51.100.1")));
        Assert.Null(filter.RefusalReason(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Allow_list_refuses_every_address_outside_it()
    {
        AddressFilter filter = AddressFilter.Parse(new[] { "127.0.0.1" }, null);
        Assert.Null(filter.RefusalReason(IPAddress.Parse("127.0.0.1")));
        Assert.Equal("not in the allow list", filter.RefusalReason(IPAddress.Parse("127.0.0.2")));
        Assert.Equal("not in the allow list", filter.RefusalReason(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Deny_wins_over_allow()
    {
        AddressFilter filter = AddressFilter.Parse(new[] { "127.0.0.0/8" }, new[] { "127.0.0.1" });
        Assert.Equal("denied by 127.0.0.1/32", filter.RefusalReason(IPAddress.Parse("127.0.0.1")));
        Assert.Null(filter.RefusalReason(IPAddress.Parse("127.0.0.2")));
        Assert.Equal("not in the allow list", filter.RefusalReason(IPAddress.Parse("198.51.100.1")));
    }

    [Fact]
    public void Ipv4_mapped_ipv6_peers_are_judged_as_ipv4()
    {
        AddressFilter deny = AddressFilter.Parse(null, new[] { "127.0.0.0/8" });
        Assert.NotNull(deny.RefusalReason(IPAddress.Parse("::ffff:127.0.0.1")));
        AddressFilter allow = AddressFilter.Parse(new[] { "127.0.0.1" }, null);
        Assert.Null(allow.RefusalReason(IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.NotNull(allow.RefusalReason(IPAddress.Parse("::ffff:127.0.0.2")));
    }

    [Fact]
    public void Entries_may_hold_several_comma_separated_blocks_with_spaces_and_empty_items()
    {
        AddressFilter filter = AddressFilter.Parse(new[] { "127.0.0.1, ::1", ",198.51.100.0/24,", "192.0.2.0/24" }, null);
        Assert.Equal(4, filter.Allow.Count);
        Assert.Empty(filter.Deny);
        Assert.Null(filter.RefusalReason(IPAddress.IPv6Loopback));
        Assert.Null(filter.RefusalReason(IPAddress.Parse("198.51.100.99")));
        Assert.NotNull(filter.RefusalReason(IPAddress.Parse("203.0.113.5")));
    }

    [Fact]
    public void A_bad_entry_fails_the_whole_filter_with_bad_input()
    {
        var e = Assert.Throws<NsockException>(() => AddressFilter.Parse(new[] { "127.0.0.1,nonsense" }, null));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("nonsense", e.Message);
    }
}
