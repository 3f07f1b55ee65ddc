using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// Names under the reserved .invalid TLD (RFC 6761) never resolve; "localhost" is answered locally.
public class NameResolverTests
{
    [Theory]
    [InlineData("127.0.0.1", IpVersion.Any)]
    [InlineData("127.0.0.1", IpVersion.V4)]
    [InlineData("::1", IpVersion.Any)]
    [InlineData("::1", IpVersion.V6)]
    public async Task An_address_literal_is_returned_as_is(string literal, IpVersion version)
    {
        IPAddress[] all = await NameResolver.ResolveAsync(literal, version, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(new[] { IPAddress.Parse(literal) }, all);
    }

    [Theory]
    [InlineData("127.0.0.1", IpVersion.V6, "-6")]
    [InlineData("::1", IpVersion.V4, "-4")]
    public async Task An_address_literal_of_the_other_family_is_bad_input(string literal, IpVersion version, string flag)
    {
        var e = await Assert.ThrowsAsync<NsockException>(() => NameResolver.ResolveAsync(literal, version, TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(flag, e.Message);
    }

    [Fact]
    public async Task A_name_under_the_invalid_tld_is_name_not_found()
    {
        var e = await Assert.ThrowsAsync<NsockException>(() =>
            NameResolver.ResolveAsync("no-such-host.invalid", IpVersion.Any, TimeSpan.FromSeconds(20), CancellationToken.None).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.NameNotFound, e.Kind);
        Assert.Contains("no-such-host.invalid", e.Message);
    }

    [Fact]
    public async Task LookupHost_of_a_name_under_the_invalid_tld_is_name_not_found()
    {
        var e = await Assert.ThrowsAsync<NsockException>(() =>
            NameResolver.LookupHostAsync("no-such-host.invalid", IpVersion.Any, TimeSpan.FromSeconds(20), CancellationToken.None).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.NameNotFound, e.Kind);
    }

    [Fact]
    public async Task Localhost_resolves_to_loopback_addresses_only()
    {
        IPAddress[] all = await NameResolver.ResolveAsync("localhost", IpVersion.Any, TimeSpan.FromSeconds(20), CancellationToken.None).WaitAsync(Limits.Wait);
        Assert.NotEmpty(all);
        Assert.All(all, a => Assert.True(IPAddress.IsLoopback(a), $"{a} is not loopback"));
        Assert.Equal(all.Length, all.Distinct().Count());
    }

    [Fact]
    public async Task LookupHost_of_localhost_reports_the_query_and_loopback_addresses()
    {
        HostInfo info = await NameResolver.LookupHostAsync("localhost", IpVersion.V4, TimeSpan.FromSeconds(20), CancellationToken.None).WaitAsync(Limits.Wait);
        Assert.Equal("localhost", info.Query);
        Assert.False(string.IsNullOrEmpty(info.CanonicalName));
        Assert.Contains("127.0.0.1", info.Addresses);
        Assert.Equal("resolved", info.Event);
    }

    [Fact]
    public async Task A_cancelled_lookup_throws_operation_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            NameResolver.ResolveAsync("no-such-host.invalid", IpVersion.Any, TimeSpan.FromSeconds(20), cts.Token).WaitAsync(Limits.Wait));
    }

    // The engine promises one exception type; .NET's resolver throws ArgumentOutOfRangeException for names over
    // 255 characters (before any lookup), which would escape as a crash from `nsock resolve`.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_name_longer_than_dns_allows_is_bad_input(bool lookupHost)
    {
        string name = new string('a', 300) + ".invalid";
        Task call = lookupHost
            ? NameResolver.LookupHostAsync(name, IpVersion.Any, TimeSpan.FromSeconds(5), CancellationToken.None)
            : NameResolver.ResolveAsync(name, IpVersion.Any, TimeSpan.FromSeconds(5), CancellationToken.None);
        var e = await Assert.ThrowsAsync<NsockException>(() => call.WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
    }

    // .NET's resolver answers an empty name with this machine's own addresses, so `nsock resolve ""` would print
    // them as if "" were a host. An empty name is bad input, refused before any lookup.
    [Fact]
    public async Task An_empty_name_is_bad_input()
    {
        const string name = "";
        var e = await Assert.ThrowsAsync<NsockException>(() =>
            NameResolver.LookupHostAsync(name, IpVersion.Any, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(Limits.Wait));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
    }
}
