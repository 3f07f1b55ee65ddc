using System;
using System.Linq;
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

    [Fact]
    public void Pipeline_rows_naming_the_same_hosts_in_a_row_make_one_group_and_keep_input_order()
    {
        PortProbeOptions o = ProbeOptionsMapper.Map(new ProbeParameters
        {
            Rows = new[]
            {
                new ProbeRow(new[] { "a", "b" }, new[] { 22 }),
                new ProbeRow(new[] { "a", "b" }, new[] { 80 }),
                new ProbeRow(new[] { "c" }, new[] { 443 }),
                new ProbeRow(new[] { "a" }, new[] { 22 }),
            },
        });
        Assert.Equal(new[] { "a,b:22,80", "c:443", "a:22" }, o.Rows.Select(r => string.Join(",", r.Targets) + ":" + string.Join(",", r.Ports)));
        Assert.Equal(6, ProbeOptionsMapper.Total(o));
    }

    [Fact]
    public void One_row_is_the_targets_by_ports_of_nsock_probe()
    {
        PortProbeOptions o = ProbeOptionsMapper.Map(new ProbeParameters { Rows = new[] { new ProbeRow(new[] { "h" }, new[] { 22 }), new ProbeRow(new[] { "H" }, new[] { 80 }) } });
        Assert.Empty(o.Groups);
        Assert.Equal(new[] { "h" }, o.Targets);
        Assert.Equal(new[] { 22, 80 }, o.Ports);
    }

    [Fact]
    public void Endpoints_are_read_as_the_command_reads_them()
    {
        PortProbeOptions o = ProbeOptionsMapper.Map(new ProbeParameters { Endpoint = new[] { "127.0.0.1:22", "tcp://127.0.0.1:80", "[::1]:443", "h:1" } });
        Assert.Equal(new[] { "127.0.0.1:22,80", "::1:443", "h:1" }, o.Rows.Select(r => string.Join(",", r.Targets) + ":" + string.Join(",", r.Ports)));
        Assert.True(ProbeOptionsMapper.Map(new ProbeParameters { Endpoint = new[] { "udp://h:53" }, Udp = true }).Udp);
    }

    [Theory]
    [InlineData("h", false, "-Endpoint")]
    [InlineData("h:0", false, "-Endpoint")]
    [InlineData("udp://h:53", false, "-Udp was not given")]
    [InlineData("tcp://h:53", true, "-Udp was given")]
    [InlineData(":80", false, "names no host")]
    public void A_bad_endpoint_is_bad_input_naming_the_parameter(string endpoint, bool udp, string expected)
    {
        var e = Assert.Throws<NsockException>(() => ProbeOptionsMapper.Map(new ProbeParameters { Endpoint = new[] { endpoint }, Udp = udp }));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Timeout_zero_means_no_limit_only_with_wait()
    {
        var e = Assert.Throws<NsockException>(() => ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "h" }, Port = new[] { 1 }, Timeout = 0 }));
        Assert.Contains("-Timeout", e.Message);
        Assert.Equal(TimeSpan.FromSeconds(1), ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "h" }, Port = new[] { 1 }, Timeout = 0, Wait = true }).Timeout);
    }

    [Fact]
    public void A_block_too_large_is_refused_by_the_mapper_before_anything_runs()
    {
        var e = Assert.Throws<NsockException>(() => ProbeOptionsMapper.Map(new ProbeParameters { ComputerName = new[] { "10.0.0.0/8" }, Port = new[] { 1 } }));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        Assert.Contains("10.0.0.0/8", e.Message);
    }
}
