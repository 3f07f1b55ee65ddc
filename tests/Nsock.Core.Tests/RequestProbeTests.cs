using System;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// The probe's rules (nsock probe, Test-SocketPort), written once in ProbeRequest and named in each face's spelling.
public class RequestProbeTests
{
    // A face's spelling, as the command and the module supply theirs.
    private sealed class Dashes : IOptionNames
    {
        public string Option(NsockOption option) => "-" + option;

        public string Verb(NsockVerb verb) => verb + "-Verb";
    }

    private static readonly IOptionNames s_names = new Dashes();

    private static ProbeRequest Hosts(string[] targets, params int[] ports) => new() { Groups = new[] { new PortProbeGroup(targets, ports) } };

    private static ProbeRequest Localhost(params int[] ports) => Hosts(new[] { "localhost" }, ports);

    private static string Rows(ProbePlan p) => string.Join(" | ", p.Options.Rows.Select(r => string.Join(",", r.Targets) + ":" + string.Join(",", r.Ports)));

    private static NsockException Bad(ProbeRequest r)
    {
        var e = Assert.Throws<NsockException>(() => r.Validate(s_names));
        Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        return e;
    }

    [Fact]
    public void Defaults_are_one_second_per_probe_a_hundred_in_flight_over_tcp_without_a_wait()
    {
        ProbePlan p = Localhost(22).Validate(s_names);
        Assert.Equal(TimeSpan.FromSeconds(1), p.Options.Timeout);
        Assert.Equal(100, p.Options.Parallel);
        Assert.False(p.Options.Udp);
        Assert.Equal(IpVersion.Any, p.Options.IpVersion);
        Assert.Null(p.WaitDeadline);
        Assert.Equal(new[] { "localhost" }, p.Options.Targets);
        Assert.Equal(new[] { 22 }, p.Options.Ports);
        Assert.Empty(p.Options.Groups);
    }

    [Fact]
    public void Given_values_are_used()
    {
        ProbePlan p = (Localhost(53) with { Udp = true, Timeout = 3, Parallel = 7, IPv6 = true }).Validate(s_names);
        Assert.True(p.Options.Udp);
        Assert.Equal(TimeSpan.FromSeconds(3), p.Options.Timeout);
        Assert.Equal(7, p.Options.Parallel);
        Assert.Equal(IpVersion.V6, p.Options.IpVersion);
    }

    [Fact]
    public void Ports_keep_their_order_and_lose_duplicates()
    {
        Assert.Equal(new[] { 443, 22, 80 }, Localhost(443, 22, 80, 22).Validate(s_names).Options.Ports);
    }

    [Fact]
    public void With_wait_the_timeout_is_the_whole_wait_ten_seconds_unless_given_and_zero_has_no_limit()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), (Localhost(1) with { Wait = true }).Validate(s_names).WaitDeadline);
        Assert.Equal(TimeSpan.FromSeconds(60), (Localhost(1) with { Wait = true, Timeout = 60 }).Validate(s_names).WaitDeadline);
        ProbePlan forever = (Localhost(1) with { Wait = true, Timeout = 0 }).Validate(s_names);
        Assert.True(forever.WaitDeadline > TimeSpan.FromDays(300));
        Assert.Equal(TimeSpan.FromSeconds(1), forever.Options.Timeout);
    }

    [Fact]
    public void A_zero_timeout_is_only_for_wait()
    {
        Assert.Equal("-Timeout must be more than 0 seconds for a probe (0, no limit, is for -Wait only)", Bad(Localhost(1) with { Timeout = 0 }).Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void A_bad_timeout_is_named(double seconds)
    {
        Assert.StartsWith("-Timeout must be 0 or a positive number of seconds", Bad(Localhost(1) with { Timeout = seconds }).Message);
        Assert.StartsWith("-Timeout must be 0 or a positive number of seconds", Bad(Localhost(1) with { Timeout = seconds, Wait = true }).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(ProbeRequest.MaxParallel + 1)]
    public void Parallel_is_one_to_a_hundred_thousand(int parallel)
    {
        Assert.Equal($"-Parallel must be 1-100000, not {parallel}", Bad(Localhost(1) with { Parallel = parallel }).Message);
        Assert.Equal(ProbeRequest.MaxParallel, (Localhost(1) with { Parallel = ProbeRequest.MaxParallel }).Validate(s_names).Options.Parallel);
    }

    [Fact]
    public void IPv4_and_IPv6_exclude_each_other()
    {
        Assert.Equal("-IPv4 and -IPv6 exclude each other: give one", Bad(Localhost(1) with { IPv4 = true, IPv6 = true }).Message);
    }

    [Fact]
    public void No_target_no_port_or_a_port_out_of_range_is_named()
    {
        Assert.Equal("no target given: give -Host (or -Endpoint host:port)", Bad(new ProbeRequest()).Message);
        Assert.Equal("no target given: give -Host (or -Endpoint host:port)", Bad(Hosts(Array.Empty<string>(), 1)).Message);
        Assert.Equal("no port given: give -Ports (or -Endpoint host:port)", Bad(Localhost()).Message);
        Assert.Equal("-Ports 0 is out of range (1-65535)", Bad(Localhost(80, 0)).Message);
        Assert.Equal("-Ports 65536 is out of range (1-65535)", Bad(Localhost(65536)).Message);
        Assert.Equal("a target is empty", Bad(Hosts(new[] { " " }, 1)).Message);
    }

    [Fact]
    public void A_block_too_large_or_of_the_other_family_is_refused_before_anything_runs()
    {
        Assert.Contains("127.0.0.0/8 holds 16777216 addresses", Bad(Hosts(new[] { "127.0.0.0/8" }, 1)).Message);
        Assert.Equal("127.0.0.0/30 is an IPv4 block, but only IPv6 was asked for", Bad(Hosts(new[] { "127.0.0.0/30" }, 1) with { IPv6 = true }).Message);
        Assert.Contains("probes; at most", Bad(Hosts(new[] { "127.0.0.0/16" }, Enumerable.Range(1, 17).ToArray())).Message);
    }

    [Fact]
    public void The_number_of_results_is_known_unless_a_block_expands()
    {
        Assert.Equal(6, Hosts(new[] { "a", "b" }, 1, 2, 3).Validate(s_names).Total);
        Assert.Null(Hosts(new[] { "127.0.0.0/30" }, 1).Validate(s_names).Total);
    }

    [Fact]
    public void Rows_naming_the_same_hosts_in_a_row_make_one_group_and_keep_input_order()
    {
        ProbePlan p = new ProbeRequest
        {
            Groups = new[]
            {
                new PortProbeGroup(new[] { "a", "b" }, new[] { 22 }),
                new PortProbeGroup(new[] { "A", "b" }, new[] { 80, 22 }),
                new PortProbeGroup(new[] { "c" }, new[] { 443 }),
                new PortProbeGroup(new[] { "a" }, new[] { 22 }),
            },
        }.Validate(s_names);
        Assert.Equal("a,b:22,80 | c:443 | a:22", Rows(p));
        Assert.Equal(6, p.Total);

        ProbePlan one = new ProbeRequest { Groups = new[] { new PortProbeGroup(new[] { "h" }, new[] { 22 }), new PortProbeGroup(new[] { "H" }, new[] { 80 }) } }.Validate(s_names);
        Assert.Empty(one.Options.Groups);
        Assert.Equal(new[] { "h" }, one.Options.Targets);
        Assert.Equal(new[] { 22, 80 }, one.Options.Ports);
    }

    [Fact]
    public void Endpoints_are_read_by_the_one_endpoint_parser_each_a_row()
    {
        ProbePlan p = new ProbeRequest { Endpoints = new[] { "127.0.0.1:22", "tcp://127.0.0.1:80", "[::1]:443", "h:1" } }.Validate(s_names);
        Assert.Equal("127.0.0.1:22,80 | ::1:443 | h:1", Rows(p));
        Assert.True(new ProbeRequest { Endpoints = new[] { "udp://h:53" }, Udp = true }.Validate(s_names).Options.Udp);
        Assert.Equal("localhost:53", Rows(new ProbeRequest { Endpoints = new[] { "localhost:53" }, Udp = true }.Validate(s_names)));
    }

    [Theory]
    [InlineData("h", false, "-Endpoint: ")]
    [InlineData("h:0", false, "-Endpoint 'h:0' names port 0; ports are 1-65535")]
    [InlineData("udp://h:53", false, "-Endpoint 'udp://h:53' names a udp endpoint, but -Udp was not given")]
    [InlineData("tcp://h:53", true, "-Endpoint 'tcp://h:53' names a tcp endpoint, but -Udp was given")]
    [InlineData(":80", false, "-Endpoint ':80' names no host: give host:port")]
    [InlineData("unix:/tmp/s", false, "-Endpoint 'unix:/tmp/s' is a Unix socket; Probe-Verb probes TCP and UDP ports")]
    public void A_bad_endpoint_is_named(string endpoint, bool udp, string expected)
    {
        Assert.StartsWith(expected, Bad(new ProbeRequest { Endpoints = new[] { endpoint }, Udp = udp }).Message);
    }

    [Fact]
    public void Endpoints_and_host_rows_together_are_refused()
    {
        var r = Localhost(1) with { Endpoints = new[] { "localhost:2" } };
        Assert.Equal("give -Endpoint rows, or -Host and -Ports rows; not both", Bad(r).Message);
    }

    [Fact]
    public async Task The_outcome_says_whether_every_port_is_open_and_a_closed_port_is_an_answer_not_a_failure()
    {
        using Socket listener = TestLoopback.ListenTcp();
        int open = TestLoopback.PortOf(listener), closed = TestLoopback.ClosedTcpPort();
        var sink = new RecordingSink();

        ProbeOutcome mixed = await Hosts(new[] { "127.0.0.1" }, open, closed).Validate(s_names).RunAsync(sink, CancellationToken.None).Within(15);
        Assert.Equal(new[] { PortState.Open, PortState.Closed }, mixed.Results.Select(r => r.State));
        Assert.Equal(mixed.Results, sink.Of<PortProbeResult>());
        Assert.False(mixed.AllOpen);
        Assert.Null(mixed.Failure);

        ProbeOutcome all = await Hosts(new[] { "127.0.0.1" }, open).Validate(s_names).RunAsync(NullEventSink.Instance, CancellationToken.None).Within(15);
        Assert.True(all.AllOpen);
        Assert.Null(all.Failure);
    }

    [Fact]
    public async Task A_wait_that_runs_out_before_a_port_opens_timed_out()
    {
        using Socket listener = TestLoopback.ListenTcp();
        int open = TestLoopback.PortOf(listener), closed = TestLoopback.ClosedTcpPort();
        var sink = new RecordingSink();

        ProbeOutcome ranOut = await (Hosts(new[] { "127.0.0.1" }, open, closed) with { Wait = true, Timeout = 0.5 }).Validate(s_names).RunAsync(sink, CancellationToken.None).Within(15);
        Assert.Equal(new[] { PortState.Open, PortState.Closed }, ranOut.Results.Select(r => r.State));
        Assert.Equal(2, sink.Of<PortProbeResult>().Count);
        Assert.False(ranOut.AllOpen);
        Assert.Equal(NsockErrorKind.TimedOut, ranOut.Failure);

        ProbeOutcome up = await (Hosts(new[] { "127.0.0.1" }, open) with { Wait = true, Timeout = 5 }).Validate(s_names).RunAsync(NullEventSink.Instance, CancellationToken.None).Within(15);
        Assert.True(up.AllOpen);
        Assert.Null(up.Failure);
    }
}
