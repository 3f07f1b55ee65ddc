using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Cli.Tests;

/// <summary>
/// Two hosts for one test: fresh network namespaces A and B joined by a veth pair, A at <see cref="AddressA"/> and B at
/// <see cref="AddressB"/> (RFC 2544's benchmarking range, 198.18.0.0/15, on the veth ends only; over IPv6 at
/// <see cref="AddressA6"/> and <see cref="AddressB6"/>), each with lo up. Seen from a process in A, a peer in B is on
/// another host: its address is neither loopback nor A's own, and the bytes cross a network device. Nothing is changed
/// in the root namespace: the pair is made inside A with its peer end put straight into B, and addresses, routes and
/// links are set with <c>ip -n</c>. Processes are started in a namespace with <c>ip netns exec</c> (which execs, so
/// the PID is the command's own). Dispose kills the processes this rig
/// started (each by its own Process object, with what they started) and deletes both namespaces, the pair with them,
/// also when the test failed.
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    /// <summary>Namespace A's address on the veth pair.</summary>
    public const string AddressA = "198.18.0.1";

    /// <summary>Namespace B's address on the veth pair.</summary>
    public const string AddressB = "198.18.0.2";

    /// <summary>An address in the benchmarking range outside the pair's /24: neither namespace has a route to it.</summary>
    public const string Unrouted = "198.19.0.1";

    /// <summary>Namespace A's IPv6 address on the veth pair (RFC 5180's benchmarking range, 2001:2::/48).</summary>
    public const string AddressA6 = "2001:2::1";

    /// <summary>Namespace B's IPv6 address on the veth pair.</summary>
    public const string AddressB6 = "2001:2::2";

    /// <summary>An IPv6 address in that range outside the pair's /64: neither namespace has a route to it.</summary>
    public const string Unrouted6 = "2001:2:0:1::1";

    // Locally administered MAC addresses for the two ends (each rig's pair lives in namespaces of its own).
    private const string MacA = "02:00:00:00:00:01", MacB = "02:00:00:00:00:02";

    private static readonly TimeSpan IpTimeout = TimeSpan.FromSeconds(30);
    private static readonly Lazy<string?> s_whyNot = new(FindWhyNot);
    private static int s_made;

    private readonly List<string> _namespaces = new();
    private readonly List<ChildProcess> _started = new();

    private NetworkNamespaces(string stem)
    {
        A = stem + "-a";
        B = stem + "-b";
    }

    /// <summary>Namespace A's name (for <c>ip netns exec</c>).</summary>
    public string A { get; }

    /// <summary>Namespace B's name.</summary>
    public string B { get; }

    /// <summary>Why this machine cannot make network namespaces (not Linux, no <c>ip</c>, not permitted), or null when it can.</summary>
    public static string? WhyNot => s_whyNot.Value;

    /// <summary>Makes A and B and the veth pair between them, addresses set and every link up.</summary>
    public static NetworkNamespaces Create()
    {
        // The process id keeps two test runs apart (the names are global to the machine), the counter two rigs of one run.
        var rig = new NetworkNamespaces($"nsock-{Environment.ProcessId}-{Interlocked.Increment(ref s_made)}");
        try
        {
            rig.Build();
            return rig;
        }
        catch
        {
            rig.Dispose();
            throw;
        }
    }

    /// <summary>Starts <paramref name="command"/> (program, then its arguments) in namespace <paramref name="name"/>.</summary>
    public ChildProcess Start(string name, IEnumerable<string> command)
    {
        if (name != A && name != B) throw new ArgumentException($"'{name}' is not one of this rig's namespaces ({A}, {B})", nameof(name));
        ChildProcess p = ChildProcess.Start("ip", new[] { "netns", "exec", name }.Concat(command));
        lock (_started) _started.Add(p);
        return p;
    }

    public ChildProcess Start(string name, params string[] command) => Start(name, (IEnumerable<string>)command);

    /// <summary>Runs <paramref name="command"/> in namespace <paramref name="name"/> to its end (bounded); fails unless it exits 0.</summary>
    public async Task RunAsync(string name, params string[] command)
    {
        ChildProcess p = Start(name, command);
        p.CloseStdIn();
        int code = await p.WaitForExitAsync();
        if (code != 0) throw new InvalidOperationException($"'{p}' exited {code}: {p.StdErr.Text.Trim()}");
    }

    /// <summary>A firewall in namespace B only: an nft table whose input chain holds <paramref name="rules"/> (nft syntax).</summary>
    public async Task FirewallInBAsync(params string[] rules)
    {
        using var dir = new TempDir();
        string file = dir.File("rules.nft");
        System.IO.File.WriteAllText(file, "table inet nsock_test {\n  chain input {\n    type filter hook input priority 0; policy accept;\n"
            + string.Concat(rules.Select(r => $"    {r}\n")) + "  }\n}\n");
        await RunAsync(B, "nft", "-f", file);
    }

    public void Dispose()
    {
        ChildProcess[] started;
        lock (_started) started = _started.ToArray();
        foreach (ChildProcess p in started.Reverse()) p.Dispose();
        var failures = new List<string>();
        foreach (string name in Enumerable.Reverse(_namespaces))
        {
            // Deleting a namespace deletes its end of the pair, and with it the other end.
            (int code, string error) = Ip("netns", "delete", name);
            if (code != 0) failures.Add($"ip netns delete {name}: exit {code}: {error}");
        }
        _namespaces.Clear();
        if (failures.Count > 0) throw new InvalidOperationException("a test's network namespace was left behind: " + string.Join("; ", failures));
    }

    private void Build()
    {
        foreach (string name in new[] { A, B })
        {
            MustIp("netns", "add", name);
            _namespaces.Add(name);
        }
        // Made in A, its peer end moved into B as it is made: the pair never exists in the root namespace.
        MustIp("-n", A, "link", "add", "veth-a", "address", MacA, "type", "veth", "peer", "name", "veth-b", "address", MacB, "netns", B);
        MustIp("-n", A, "address", "add", AddressA + "/24", "dev", "veth-a");
        MustIp("-n", B, "address", "add", AddressB + "/24", "dev", "veth-b");
        // nodad: usable at once, without waiting a second or two for duplicate address detection on a fresh link.
        MustIp("-n", A, "address", "add", AddressA6 + "/64", "dev", "veth-a", "nodad");
        MustIp("-n", B, "address", "add", AddressB6 + "/64", "dev", "veth-b", "nodad");
        foreach ((string name, string link) in new[] { (A, "lo"), (A, "veth-a"), (B, "lo"), (B, "veth-b") })
            MustIp("-n", name, "link", "set", link, "up");
        // Each end knows the other's IPv6 neighbor from the start: a fresh link lost the first datagrams' exchange to
        // neighbor discovery (the first ICMPv6 error of a test never came back within a second).
        MustIp("-n", A, "neigh", "add", AddressB6, "lladdr", MacB, "dev", "veth-a", "nud", "permanent");
        MustIp("-n", B, "neigh", "add", AddressA6, "lladdr", MacA, "dev", "veth-b", "nud", "permanent");
    }

    private static void MustIp(params string[] args)
    {
        (int code, string error) = Ip(args);
        if (code != 0) throw new InvalidOperationException($"ip {string.Join(" ", args)}: exit {code}: {error}");
    }

    private static (int Code, string Error) Ip(params string[] args)
    {
        using ChildProcess p = ChildProcess.Start("ip", args);
        p.CloseStdIn();
        int code = p.WaitForExitAsync(IpTimeout).GetAwaiter().GetResult();
        return (code, p.StdErr.Text.Trim());
    }

    // Tries what a test will do: add a namespace and delete it again.
    private static string? FindWhyNot()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux (network namespaces)";
        string probe = $"nsock-{Environment.ProcessId}-check";
        (int Code, string Error) added;
        try
        {
            added = Ip("netns", "add", probe);
        }
        catch (InvalidOperationException)
        {
            return "needs the 'ip' command (iproute2) to make network namespaces";
        }
        if (added.Code != 0) return $"cannot make a network namespace (needs root: CAP_SYS_ADMIN and CAP_NET_ADMIN): ip netns add: {added.Error}";
        (int code, string error) = Ip("netns", "delete", probe);
        if (code != 0) return $"cannot delete a network namespace it made: ip netns delete: {error}";
        DeleteLeftovers();
        return null;
    }

    // A test run killed in the middle of a test (the hang timeout) leaves its namespaces behind. The first rig of the
    // next run deletes them: only names this harness makes (nsock-PID-...), and only where that test process is gone.
    private static void DeleteLeftovers()
    {
        using ChildProcess list = ChildProcess.Start("ip", new[] { "netns", "list" });
        list.CloseStdIn();
        if (list.WaitForExitAsync(IpTimeout).GetAwaiter().GetResult() != 0) return;
        foreach (string line in list.StdOut.Lines)
        {
            string name = line.Split(' ')[0];
            string[] parts = name.Split('-');
            if (parts.Length < 3 || parts[0] != "nsock" || !int.TryParse(parts[1], out int pid)) continue;
            if (pid == Environment.ProcessId || System.IO.Directory.Exists($"/proc/{pid}")) continue;
            Ip("netns", "delete", name);
        }
    }

    /// <summary>A fact that needs network namespaces: skipped, with the reason, on a machine that cannot make them.</summary>
    public sealed class FactAttribute : Xunit.FactAttribute
    {
        public FactAttribute()
        {
            if (WhyNot is { } reason) Skip = reason;
        }
    }

    /// <summary>A theory that needs network namespaces: skipped, with the reason, on a machine that cannot make them.</summary>
    public sealed class TheoryAttribute : Xunit.TheoryAttribute
    {
        public TheoryAttribute()
        {
            if (WhyNot is { } reason) Skip = reason;
        }
    }
}
