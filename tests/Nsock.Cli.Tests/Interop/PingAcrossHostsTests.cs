using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;
using static Nsock.Cli.Tests.NetworkNamespaces;

namespace Nsock.Cli.Tests;

/// <summary>
/// <c>nsock ping</c> from namespace A to another host, namespace B, whose firewall (an nft table in B) answers some ports
/// with an ICMP error: a host or network that says it cannot be reached is told as unreachable, probe by probe, and
/// counted, not taken for silent loss. Each case gets a rig of its own, so B's ICMP rate limit (a burst of six per
/// destination) never swallows an answer. Ports below 1024: nothing in a fresh namespace listens on them.
/// </summary>
public class PingAcrossHostsTests
{
    private const int Prohibited = 13, HostUnreachable = 17, NothingThere = 21, NetUnreachable = 23;
    private const int Probes = 3;

    [NetworkNamespaces.Theory]
    // Host and network unreachable are "soft" ICMP errors (RFC 1122 4.2.3.9): Linux tells a UDP socket only with IP_RECVERR.
    [InlineData(HostUnreachable, "0.2", "no route to host")]
    [InlineData(HostUnreachable, "0", "no route to host")]
    [InlineData(NetUnreachable, "0.2", "network unreachable")]
    // Administratively prohibited is a "hard" error, told without IP_RECVERR; it used to end the receiving thread.
    [InlineData(Prohibited, "0.2", "no route to host")]
    [InlineData(Prohibited, "0", "no route to host")]
    public async Task Udp_ping_of_a_host_that_answers_unreachable_tells_each_probe_unreachable_and_exits_6(int port, string interval, string reason)
    {
        using NetworkNamespaces net = Create();
        await net.FirewallInBAsync("udp dport 13 reject with icmp type admin-prohibited",
            "udp dport 17 reject with icmp type host-unreachable",
            "udp dport 23 reject with icmp type net-unreachable");

        (int code, List<JsonElement> lost, JsonElement summary, string error) = await PingAsync(net, $"{AddressB}:{port}", "-i", interval);

        Assert.True(code == 6, $"expected exit 6 (unreachable), got {code}: {error}");
        Assert.Equal(Enumerable.Range(1, Probes).Select(i => (long)i), lost.Select(l => l.GetProperty("seq").GetInt64()).OrderBy(s => s));
        Assert.All(lost, l => Assert.Equal($"unreachable: {reason}", l.GetProperty("reason").GetString()));
        Assert.Equal(Probes, summary.GetProperty("sent").GetInt64());
        Assert.Equal(0, summary.GetProperty("received").GetInt64());
        Assert.Equal(0, summary.GetProperty("refused").GetInt64());
        Assert.Equal(Probes, summary.GetProperty("unreachable").GetInt64());
    }

    [NetworkNamespaces.Theory]
    // IPv6: address unreachable and no route are soft errors too (IPV6_RECVERR); administratively prohibited is EACCES.
    [InlineData(HostUnreachable, "no route to host")]
    [InlineData(NetUnreachable, "network unreachable")]
    [InlineData(Prohibited, "administratively prohibited")]
    public async Task Udp_ping_over_ipv6_of_a_host_that_answers_unreachable_tells_each_probe_unreachable_and_exits_6(int port, string reason)
    {
        using NetworkNamespaces net = Create();
        await net.FirewallInBAsync("udp dport 13 reject with icmpv6 type admin-prohibited",
            "udp dport 17 reject with icmpv6 type addr-unreachable",
            "udp dport 23 reject with icmpv6 type no-route");

        (int code, List<JsonElement> lost, JsonElement summary, string error) = await PingAsync(net, $"[{AddressB6}]:{port}", "-i", "0.2");

        Assert.True(code == 6, $"expected exit 6 (unreachable), got {code}: {error}");
        Assert.Equal(Probes, lost.Count);
        Assert.All(lost, l => Assert.Equal($"unreachable: {reason}", l.GetProperty("reason").GetString()));
        Assert.Equal(Probes, summary.GetProperty("unreachable").GetInt64());
        Assert.Equal(0, summary.GetProperty("refused").GetInt64());
    }

    [NetworkNamespaces.Fact]
    public async Task Udp_ping_of_a_closed_port_on_another_host_is_still_refused()
    {
        using NetworkNamespaces net = Create();

        (int code, List<JsonElement> lost, JsonElement summary, string error) = await PingAsync(net, $"{AddressB}:{NothingThere}", "-i", "0.2");

        Assert.True(code == 3, $"expected exit 3 (refused), got {code}: {error}");
        Assert.All(lost, l => Assert.Equal("refused (port unreachable)", l.GetProperty("reason").GetString()));
        Assert.Equal(Probes, summary.GetProperty("refused").GetInt64());
        Assert.Equal(0, summary.GetProperty("unreachable").GetInt64());
    }

    [NetworkNamespaces.Fact]
    public async Task Tcp_ping_of_a_host_that_answers_admin_prohibited_counts_it_unreachable_as_udp_does()
    {
        using NetworkNamespaces net = Create();
        await net.FirewallInBAsync("tcp dport 13 reject with icmp type admin-prohibited");

        (int code, List<JsonElement> lost, JsonElement summary, string error) = await PingAsync(net, $"{AddressB}:{Prohibited}", "--tcp", "-i", "0.2");

        Assert.True(code == 6, $"expected exit 6 (unreachable), got {code}: {error}");
        Assert.Equal(Probes, lost.Count);
        Assert.All(lost, l => Assert.Equal("unreachable: no route to host", l.GetProperty("reason").GetString()));
        Assert.Equal(Probes, summary.GetProperty("unreachable").GetInt64());
        Assert.Equal(0, summary.GetProperty("refused").GetInt64());
    }

    [NetworkNamespaces.Fact]
    public async Task Udp_ping_of_an_address_with_no_route_fails_at_once_with_network_unreachable()
    {
        using NetworkNamespaces net = Create();

        ChildProcess ping = net.Start(net.A, Nsock.CommandLine("ping", $"{Unrouted}:{NothingThere}", "-c", $"{Probes}", "--timeout", "1", "--json"));
        ping.CloseStdIn();
        int code = await ping.WaitForExitAsync();

        Assert.True(code == 6, $"expected exit 6 (unreachable), got {code}: {ping.StdErr.Text}");
        Assert.Contains("network unreachable", ping.StdErr.Text + ping.StdOut.Text, StringComparison.Ordinal);
    }

    // nsock ping TARGET -c 3 --timeout 1 --json ARGS in namespace A: its exit code, lost events, summary and error message.
    private static async Task<(int, List<JsonElement>, JsonElement, string)> PingAsync(NetworkNamespaces net, string target, params string[] args)
    {
        ChildProcess ping = net.Start(net.A, Nsock.CommandLine(new[] { "ping", target, "-c", $"{Probes}", "--timeout", "1", "--json" }.Concat(args).ToArray()));
        ping.CloseStdIn();
        int code = await ping.WaitForExitAsync();
        var lost = new List<JsonElement>();
        JsonElement? summary = null;
        string error = "";
        foreach (string line in ping.StdOut.Lines)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement.Clone();
            string? kind = e.GetProperty("event").GetString();
            if (kind == "lost") lost.Add(e);
            else if (kind == "summary") summary = e;
            else if (kind == "error") error = e.GetProperty("message").GetString()!;
        }
        Assert.True(summary is not null, $"no summary: exit {code}, stdout {ping.StdOut.Text}, stderr {ping.StdErr.Text}");
        return (code, lost, summary!.Value, error);
    }
}
