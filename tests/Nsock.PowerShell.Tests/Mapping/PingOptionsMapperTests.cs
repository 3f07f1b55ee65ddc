using System;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

public sealed class PingOptionsMapperTests
{
    [Fact]
    public void Defaults_are_the_engine_s_as_for_nsock_ping()
    {
        PingOptions o = PingOptionsMapper.Map(new PingParameters { ComputerName = "127.0.0.1", Port = 9999 });
        var engine = new PingOptions();
        Assert.Equal(new Endpoint(Transport.Udp, "127.0.0.1", 9999), o.Endpoint);
        Assert.Equal(5, o.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), o.Interval);
        Assert.Equal(32, o.Size);
        Assert.Equal(TimeSpan.FromSeconds(2), o.Timeout);
        Assert.Equal(engine.Count, o.Count);
        Assert.Equal(engine.Timeout, o.Timeout);
        Assert.Equal(0, o.Warmup);
        Assert.Null(o.Payload);
    }

    [Fact]
    public void Given_values_are_used()
    {
        PingOptions o = PingOptionsMapper.Map(new PingParameters { Endpoint = "127.0.0.1:7", Count = 100, Interval = 0, Size = 512, Timeout = 0.5, Warmup = 2, IPv4 = true });
        Assert.Equal(100, o.Count);
        Assert.Equal(TimeSpan.Zero, o.Interval);
        Assert.Equal(512, o.Size);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.Timeout);
        Assert.Equal(2, o.Warmup);
        Assert.Equal(IpVersion.V4, o.IpVersion);
    }

    [Fact]
    public void A_payload_without_a_size_makes_probes_just_big_enough_for_it()
    {
        Assert.Equal(PingOptions.HeaderSize + 3, PingOptionsMapper.Map(new PingParameters { Endpoint = "127.0.0.1:7", Payload = new byte[] { 1, 2, 3 } }).Size);
        Assert.Equal(64, PingOptionsMapper.Map(new PingParameters { Endpoint = "127.0.0.1:7", Payload = new byte[] { 1 }, Size = 64 }).Size);
    }

    [Fact]
    public void Tcp_pings_connect_time_and_refuses_a_udp_scheme()
    {
        Assert.Equal(Transport.Tcp, PingOptionsMapper.Map(new PingParameters { ComputerName = "127.0.0.1", Port = 22, Tcp = true }).Endpoint.Transport);
        var e = Assert.Throws<NsockException>(() => PingOptionsMapper.Map(new PingParameters { Endpoint = "udp://127.0.0.1:7", Tcp = true }));
        Assert.Contains("-Tcp", e.Message);
    }

    [Fact]
    public void A_negative_interval_is_bad_input() =>
        Assert.Contains("-Interval", Assert.Throws<NsockException>(() => PingOptionsMapper.Map(new PingParameters { Endpoint = "127.0.0.1:7", Interval = -1 })).Message);

    [Fact]
    public void No_reply_at_all_is_an_error_refused_or_timed_out_as_the_command_s_exit_codes()
    {
        PingSummary Summary(long received, long refused) => new("udp://127.0.0.1:7", "127.0.0.1", "udp", 5, received, refused, 0, null, null, null, null, null, null, null, null, 0, 0, 0, 0);
        Assert.Null(PingOptionsMapper.Outcome(Summary(1, 0)));
        Assert.Equal(NsockErrorKind.Refused, PingOptionsMapper.Outcome(Summary(0, 5))!.Kind);
        Assert.Equal(NsockErrorKind.TimedOut, PingOptionsMapper.Outcome(Summary(0, 0))!.Kind);
    }
}
