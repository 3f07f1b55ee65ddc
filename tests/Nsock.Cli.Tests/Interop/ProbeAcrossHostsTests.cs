using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using static Nsock.Cli.Tests.NetworkNamespaces;

namespace Nsock.Cli.Tests;

/// <summary>
/// <c>nsock probe</c> from namespace A of ports of another host, namespace B, whose own firewall (an nft table in B,
/// gone with B) drops or rejects some of them: what a loopback probe cannot meet. The rules name ports below 1024, which
/// nothing in a fresh namespace listens on and a port-0 bind is never given, so each is exactly what its rule makes it.
/// </summary>
public class ProbeAcrossHostsTests
{
    private const int Dropped = 9, Prohibited = 13, HostUnreachable = 17, Reset = 19, NothingThere = 21, NetUnreachable = 23;

    [NetworkNamespaces.Fact]
    public async Task Tcp_probe_of_another_host_tells_open_closed_and_a_firewalls_drop_and_reject_apart()
    {
        using NetworkNamespaces net = Create();
        await net.FirewallInBAsync(
            $"tcp dport {Dropped} drop",
            $"tcp dport {Prohibited} reject with icmp type admin-prohibited",
            $"tcp dport {Reset} reject with tcp reset");
        ChildProcess listener = net.Start(net.B, "socat", "-d", "-d", $"TCP-LISTEN:0,bind={AddressB}", "STDOUT");
        Match m = Regex.Match(await listener.StdErr.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal)), @":(\d+)\s*$");
        int open = int.Parse(m.Groups[1].Value);

        (int code, Dictionary<(string, int), JsonElement> ports) = await ProbeAsync(net, AddressB, Unrouted, "-p", $"{open},{Dropped},{Prohibited},{Reset},{NothingThere}");

        Assert.Equal(8, code);
        AssertPort(ports, AddressB, open, "open", null);
        AssertPort(ports, AddressB, Dropped, "filtered", "no answer within the timeout");
        AssertPort(ports, AddressB, Prohibited, "filtered", "no route to host", exact: true);
        AssertPort(ports, AddressB, Reset, "closed", null);
        AssertPort(ports, AddressB, NothingThere, "closed", null);
        AssertPort(ports, Unrouted, NothingThere, "filtered", "network unreachable", exact: true);
    }

    [NetworkNamespaces.Fact]
    public async Task Udp_probe_of_another_host_tells_a_closed_port_from_a_firewalls_drop_and_reject()
    {
        using NetworkNamespaces net = Create();
        await net.FirewallInBAsync(
            $"udp dport {Dropped} drop",
            $"udp dport {Prohibited} reject with icmp type admin-prohibited",
            $"udp dport {HostUnreachable} reject with icmp type host-unreachable",
            $"udp dport {NetUnreachable} reject with icmp type net-unreachable");

        (int code, Dictionary<(string, int), JsonElement> ports) = await ProbeAsync(net, AddressB, Unrouted, "-p",
            $"{Dropped},{Prohibited},{HostUnreachable},{NetUnreachable},{NothingThere}", "--udp");

        Assert.Equal(8, code);
        AssertPort(ports, AddressB, Dropped, "open|filtered", "no reply");
        AssertPort(ports, AddressB, Prohibited, "filtered", "no route to host", exact: true);
        // Host and network unreachable are "soft" ICMP errors (RFC 1122 4.2.3.9): Linux tells a UDP socket only with IP_RECVERR.
        AssertPort(ports, AddressB, HostUnreachable, "filtered", "no route to host", exact: true);
        AssertPort(ports, AddressB, NetUnreachable, "filtered", "network unreachable", exact: true);
        AssertPort(ports, AddressB, NothingThere, "closed", "ICMP port unreachable");
        AssertPort(ports, Unrouted, NothingThere, "filtered", "network unreachable", exact: true);
    }

    [NetworkNamespaces.Fact]
    public async Task Udp_probe_over_ipv6_tells_a_closed_port_from_a_firewalls_drop_and_reject()
    {
        using NetworkNamespaces net = Create();
        await net.FirewallInBAsync(
            $"udp dport {Dropped} drop",
            $"udp dport {Prohibited} reject with icmpv6 type admin-prohibited",
            $"udp dport {HostUnreachable} reject with icmpv6 type addr-unreachable",
            $"udp dport {NetUnreachable} reject with icmpv6 type no-route");

        (int code, Dictionary<(string, int), JsonElement> ports) = await ProbeAsync(net, AddressB6, Unrouted6, "-p",
            $"{Dropped},{Prohibited},{HostUnreachable},{NetUnreachable},{NothingThere}", "--udp");

        Assert.Equal(8, code);
        AssertPort(ports, AddressB6, Dropped, "open|filtered", "no reply");
        // Linux reports ICMPv6 administratively prohibited as EACCES; address unreachable and no route need IPV6_RECVERR.
        AssertPort(ports, AddressB6, Prohibited, "filtered", "administratively prohibited", exact: true);
        AssertPort(ports, AddressB6, HostUnreachable, "filtered", "no route to host", exact: true);
        AssertPort(ports, AddressB6, NetUnreachable, "filtered", "network unreachable", exact: true);
        AssertPort(ports, AddressB6, NothingThere, "closed", "ICMP port unreachable");
        AssertPort(ports, Unrouted6, NothingThere, "filtered", "network unreachable", exact: true);
    }

    // nsock probe ARGS --timeout 1 --json in namespace A: its exit code and each port's event by (address, port).
    private static async Task<(int, Dictionary<(string, int), JsonElement>)> ProbeAsync(NetworkNamespaces net, params string[] args)
    {
        ChildProcess probe = net.Start(net.A, Nsock.CommandLine(new[] { "probe" }.Concat(args).Concat(new[] { "--timeout", "1", "--json" }).ToArray()));
        probe.CloseStdIn();
        int code = await probe.WaitForExitAsync();
        var ports = new Dictionary<(string, int), JsonElement>();
        foreach (string line in probe.StdOut.Lines)
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement e = doc.RootElement.Clone();
            if (e.GetProperty("event").GetString() == "port") ports.Add((e.GetProperty("address").GetString()!, e.GetProperty("port").GetInt32()), e);
        }
        return (code, ports);
    }

    // exact: the detail is these words and no more, so TCP and UDP tell the same cause alike.
    private static void AssertPort(Dictionary<(string, int), JsonElement> ports, string address, int port, string state, string? detail, bool exact = false)
    {
        Assert.True(ports.TryGetValue((address, port), out JsonElement e), $"no result for {address}:{port}; got {string.Join(", ", ports.Keys)}");
        Assert.True(e.GetProperty("stateText").GetString() == state, $"{address}:{port}: expected {state}, got {e}");
        if (detail is not null)
            Assert.True(e.TryGetProperty("detail", out JsonElement d) && (exact ? d.GetString() == detail : d.GetString()!.Contains(detail, StringComparison.Ordinal)),
                $"{address}:{port}: expected a detail {(exact ? "of" : "with")} '{detail}', got {e}");
    }
}
