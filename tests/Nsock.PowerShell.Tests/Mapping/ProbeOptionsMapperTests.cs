using System;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class ProbeOptionsMapperTests
{
    [Fact]
    public void Defaults_are_the_engine_s_as_for_nsock_probe()
    {
        PortProbeOptions o = ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "127.0.0.1" }, Port = new[] { 22 } });
        Assert.Equal(TimeSpan.FromSeconds(1), o.Timeout);
        Assert.Equal(100, o.Parallel);
        Assert.False(o.Udp);
        Assert.Equal(new[] { "127.0.0.1" }, o.Targets);
    }

    [Fact]
    public void Ports_keep_their_order_and_lose_duplicates()
    {
        PortProbeOptions o = ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "h" }, Port = new[] { 443, 22, 80, 22 } });
        Assert.Equal(new[] { 443, 22, 80 }, o.Ports);
    }

    [Fact]
    public void A_given_timeout_is_per_probe_and_with_wait_it_is_the_total()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "h" }, Port = new[] { 1 }, Timeout = 3 }).Timeout);
        Assert.Equal(TimeSpan.FromSeconds(10), ProbeOptionsMapper.WaitDeadline(null));
        Assert.Equal(TimeSpan.FromSeconds(60), ProbeOptionsMapper.WaitDeadline(60));
        Assert.True(ProbeOptionsMapper.WaitDeadline(0) > TimeSpan.FromDays(300));
    }

    [Fact]
    public void The_number_of_results_is_known_unless_a_block_expands()
    {
        Assert.Equal(6, ProbeOptionsMapper.Total(ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "a", "b" }, Port = new[] { 1, 2, 3 } })));
        Assert.Null(ProbeOptionsMapper.Total(ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "127.0.0.0/30" }, Port = new[] { 1 } })));
    }

    [Fact]
    public void No_port_or_port_zero_is_bad_input()
    {
        Assert.Throws<NsockException>(() => ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "h" }, Port = Array.Empty<int>() }));
        Assert.Throws<NsockException>(() => ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "h" }, Port = new[] { 0 } }));
    }
}
