using System;
using System.Threading;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class TimeoutsTests
{
    [Fact]
    public void The_default_is_the_command_s_ten_seconds_and_the_engine_s_connect_default()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Timeouts.OrDefault(null));
        Assert.Equal(new ConnectOptions().Timeout, TimeSpan.FromSeconds(Timeouts.DefaultSeconds));
    }

    [Fact]
    public void Zero_means_never()
    {
        Assert.Null(Timeouts.OrDefault(0));
        Assert.Equal(Timeout.InfiniteTimeSpan, Timeouts.Explicit(0));
        Assert.Equal(Timeout.InfiniteTimeSpan, Timeouts.Connect(0, IpVersion.Any).Timeout);
    }

    [Fact]
    public void Explicit_is_null_unless_given()
    {
        Assert.Null(Timeouts.Explicit(null));
        Assert.Equal(TimeSpan.FromSeconds(2.5), Timeouts.Explicit(2.5));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Negative_or_not_a_number_is_bad_input(double seconds)
    {
        var e = Assert.Throws<NsockException>(() => Timeouts.OrDefault(seconds));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("-Timeout", e.Message);
    }

    [Fact]
    public void IPv4_and_IPv6_exclude_each_other()
    {
        Assert.Equal(IpVersion.V4, IpVersions.From(true, false));
        Assert.Equal(IpVersion.V6, IpVersions.From(false, true));
        Assert.Equal(IpVersion.Any, IpVersions.From(false, false));
        Assert.Equal(NsockErrorKind.BadInput, Assert.Throws<NsockException>(() => IpVersions.From(true, true)).Kind);
    }
}
