using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Probes ports: TCP connect (open / closed / filtered) or UDP (reply = open, ICMP port unreachable = closed,
/// silence = open|filtered). Results are reported in a stable order (rows as given, then targets, then ports)
/// while probes run concurrently.
/// </summary>
internal static class PortProber
{
    /// <summary>Probes every port of every target; each result is reported as soon as all before it are.</summary>
    public static Task<IReadOnlyList<PortProbeResult>> RunAsync(PortProbeOptions o, IEventSink sink, CancellationToken ct) =>
        RunAsync(o, sink, ct, forcePortableTcp: false);

    // forcePortableTcp: the portable TCP batch even where a platform one exists, so tests on Linux cover the path
    // netstandard2.0, Windows and macOS take.
    internal static async Task<IReadOnlyList<PortProbeResult>> RunAsync(PortProbeOptions o, IEventSink sink, CancellationToken ct, bool forcePortableTcp)
    {
        Validate(o);
        Probe[] probes = await ExpandAsync(o.Rows, o.IpVersion, resolveNames: o.Proxy is null, ct).ConfigureAwait(false);
        long total = probes.Length;

        var results = new PortProbeResult?[total];
        long next = -1, emitted = 0;
        var emitLock = new object();
        void Publish(long i, PortProbeResult r)
        {
            lock (emitLock)
            {
                results[i] = r;
                while (emitted < total && results[emitted] is PortProbeResult ready)
                {
                    sink.Emit(ready);
                    emitted++;
                }
            }
        }

        if (!o.Udp && o.Proxy is null)
        {
            RunTcpBatch(o, probes, Publish, forcePortableTcp, ct);
            return Filled(results);
        }

        async Task Worker()
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                Probe p = probes[i];
                Publish(i, o.Proxy is null
                    ? await ProbeAsync(p.Target, p.Port, o.Udp, o.Timeout, o.Source, ct).ConfigureAwait(false)
                    : await ProbeThroughProxyAsync(p.Target.Name, p.Port, o.Timeout, o, ct).ConfigureAwait(false));
            }
        }
        var workers = new Task[(int)Math.Min(o.Parallel, total)];
        for (int w = 0; w < workers.Length; w++) workers[w] = Task.Run(Worker, ct);
        await Task.WhenAll(workers).ConfigureAwait(false);
        return Filled(results);
    }

    // Every slot is written once all probes are done. A loop, not LINQ: each LINQ call over an element type of its own
    // adds its generic code to the native binary (issue #13).
    private static PortProbeResult[] Filled(PortProbeResult?[] results)
    {
        var done = new PortProbeResult[results.Length];
        for (int i = 0; i < results.Length; i++) done[i] = results[i]!;
        return done;
    }

    /// <summary>
    /// Fails with <see cref="NsockErrorKind.BadInput"/> for options no run can take (no target or port, a CIDR block
    /// that is malformed, of the other family or too large, too many probes), without resolving any name or opening
    /// anything: <see cref="ProbeRequest.Validate"/> calls it to refuse bad input before a run starts. A name counts as one address.
    /// </summary>
    internal static void Validate(PortProbeOptions o)
    {
        if (o.Parallel < 1) throw NsockException.BadInput($"parallel must be at least 1, not {o.Parallel}");
        if (o.Timeout <= TimeSpan.Zero) throw NsockException.BadInput($"timeout must be more than 0 seconds, not {o.Timeout.TotalSeconds}");
        long addresses = 0, probes = 0;
        foreach (PortProbeGroup row in Check(o))
        {
            long rowAddresses = 0;
            foreach (string raw in row.Targets)
            {
                string name = (raw ?? "").Trim();
                if (name.Length == 0) throw NsockException.BadInput("a target is empty");
                long size = 1;
                if (name.IndexOf('/') >= 0)
                {
                    CidrBlock block = CidrBlock.Parse(name);
                    CheckFamily(name, block, o.IpVersion);
                    size = block.Size;
                }
                if (size > PortProbeOptions.MaxAddresses - addresses)
                    throw NsockException.BadInput(size == 1
                        ? $"more than {PortProbeOptions.MaxAddresses} addresses; at most that many can be probed in one run"
                        : $"{name} holds {(size == long.MaxValue ? "too many" : size.ToString())} addresses; at most {PortProbeOptions.MaxAddresses} can be probed in one run");
                addresses += size;
                rowAddresses += size;
            }
            probes += rowAddresses * row.Ports.Count;
            if (probes > PortProbeOptions.MaxProbes)
                throw NsockException.BadInput(o.Rows.Count == 1
                    ? $"{rowAddresses} addresses x {row.Ports.Count} ports = {probes} probes; at most {PortProbeOptions.MaxProbes} can run at once"
                    : $"more than {PortProbeOptions.MaxProbes} probes; at most that many can run at once");
        }
    }

    private static void CheckFamily(string name, CidrBlock block, IpVersion version)
    {
        if (!NameResolver.Matches(block.Network, version))
            throw NsockException.BadInput($"{name} is an {(version == IpVersion.V4 ? "IPv6" : "IPv4")} block, but only {(version == IpVersion.V4 ? "IPv4" : "IPv6")} was asked for");
    }

    // The rows to probe, each with a target and a port.
    private static IReadOnlyList<PortProbeGroup> Check(PortProbeOptions o)
    {
        IReadOnlyList<PortProbeGroup> rows = o.Rows;
        foreach (PortProbeGroup row in rows)
        {
            if (row.Targets is null || row.Targets.Count == 0) throw NsockException.BadInput("no target given");
            if (row.Ports is null || row.Ports.Count == 0) throw NsockException.BadInput("no port given");
        }
        return rows;
    }

    // TCP probes go through one poll loop (see TcpConnectBatch) run right here, on the caller's thread: it is a
    // system-call loop bounded by the probe timeout, and handing it to a thread of its own cost a thread start
    // and a continuation hop per run (a tenth of a thousand-port loopback probe). Unresolved targets are
    // answered at once.
    private static void RunTcpBatch(PortProbeOptions o, Probe[] probes, Action<long, PortProbeResult> publish, bool forcePortable, CancellationToken ct)
    {
        var endpoints = new IPEndPoint?[probes.Length];
        for (int i = 0; i < endpoints.Length; i++)
        {
            Probe p = probes[i];
            if (p.Target.Address is null) publish(i, new PortProbeResult(p.Target.Name, null, p.Port, Transport.Tcp, PortState.Unresolved, null, p.Target.Error));
            else endpoints[i] = new IPEndPoint(p.Target.Address, p.Port);
        }
        TcpConnectBatch.Report report = (i, state, ms, detail) =>
        {
            Probe p = probes[i];
            publish(i, new PortProbeResult(p.Target.Name, p.Target.AddressText, p.Port, Transport.Tcp, state, ms, detail));
        };
        Connect(endpoints, o.Parallel, o.Timeout, report, forcePortable, o.Source, ct);
        ct.ThrowIfCancellationRequested();
    }

    // Every TCP probe goes through a connect batch run on the caller's thread, which needs no other thread to learn
    // its answers: a busy thread pool can delay a probe, never turn an open port into a "filtered" one.
    // A source (--source) takes the portable batch: it binds each probe's .NET socket before connect(2).
    private static void Connect(IReadOnlyList<IPEndPoint?> endpoints, int parallel, TimeSpan timeout, TcpConnectBatch.Report report, bool forcePortable, ConnectOptions? source, CancellationToken ct)
    {
#if NET
        if (OperatingSystem.IsLinux() && !forcePortable && source is null) LinuxTcpConnectBatch.Run(endpoints, parallel, timeout, report, ct);
        else TcpConnectBatch.Run(endpoints, parallel, timeout, report, source, ct);
#else
        TcpConnectBatch.Run(endpoints, parallel, timeout, report, source, ct);
#endif
    }

    /// <summary>
    /// <c>--wait</c> for every port of every target: each in turn, all within one <paramref name="deadline"/>,
    /// each result reported as soon as it is known (open, or why it never was).
    /// </summary>
    public static async Task<IReadOnlyList<PortProbeResult>> WaitAllAsync(PortProbeOptions o, TimeSpan deadline, IEventSink sink, CancellationToken ct)
    {
        IReadOnlyList<PortProbeGroup> rows = Check(o);
        var clock = Stopwatch.StartNew();
        var results = new List<PortProbeResult>();
        foreach (PortProbeGroup row in rows)
        foreach (string target in row.Targets)
        foreach (int port in row.Ports)
        {
            TimeSpan left = deadline - clock.Elapsed;
            PortProbeResult r = await WaitAsync(target, port, o.Udp, left > TimeSpan.Zero ? left : TimeSpan.Zero, o.IpVersion, o.Source, ct, o.Proxy is null ? null : o).ConfigureAwait(false);
            sink.Emit(r);
            results.Add(r);
        }
        return results;
    }

    /// <summary>
    /// Probes one port again and again until it is open or <paramref name="deadline"/> has passed (the "wait for
    /// the service to come up" step of a deployment). Returns the last result: open, or why it never was.
    /// </summary>
    public static Task<PortProbeResult> WaitAsync(string target, int port, bool udp, TimeSpan deadline, IpVersion version, CancellationToken ct) =>
        WaitAsync(target, port, udp, deadline, version, null, ct);

    private static async Task<PortProbeResult> WaitAsync(string target, int port, bool udp, TimeSpan deadline, IpVersion version, ConnectOptions? source, CancellationToken ct, PortProbeOptions? proxied = null)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan pause = TimeSpan.FromMilliseconds(250), least = TimeSpan.FromMilliseconds(250), most = TimeSpan.FromSeconds(1);
        while (true)
        {
            // Every attempt gets a real chance (at least 250 ms), even the last one near the deadline.
            TimeSpan left = deadline - clock.Elapsed;
            TimeSpan attempt = left < least ? least : left > most ? most : left;
            PortProbeResult last;
            if (proxied is not null)
            {
                last = await ProbeThroughProxyAsync(target, port, attempt, proxied, ct).ConfigureAwait(false);
            }
            else
            {
                Target t = await ResolveOneAsync(target, version, attempt, ct).ConfigureAwait(false);
                last = await ProbeAsync(t, port, udp, attempt, source, ct).ConfigureAwait(false);
            }
            if (last.State == PortState.Open) return last;
            left = deadline - clock.Elapsed;
            if (left <= TimeSpan.Zero) return last;
            await Task.Delay(left < pause ? left : pause, ct).ConfigureAwait(false);
        }
    }

    private static async Task<PortProbeResult> ProbeAsync(Target t, int port, bool udp, TimeSpan timeout, ConnectOptions? source, CancellationToken ct)
    {
        Transport protocol = udp ? Transport.Udp : Transport.Tcp;
        if (t.Address is null) return new PortProbeResult(t.Name, null, port, protocol, PortState.Unresolved, null, t.Error);
        var ep = new IPEndPoint(t.Address, port);
        string address = t.Address.ToString();
        long start = Stopwatch.GetTimestamp();
        double Ms() => (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
        PortProbeResult Result(PortState state, double? ms, string? detail) => new(t.Name, address, port, protocol, state, ms, detail);
        try
        {
            return udp ? await ProbeUdpAsync(ep, timeout, source, ct, Ms, Result).ConfigureAwait(false) : ProbeTcp(ep, timeout, source, ct, Result);
        }
        catch (NsockException e) when (e.Kind is NsockErrorKind.Unreachable or NsockErrorKind.Io)
        {
            // A UDP connect with no route fails at once: "network unreachable", as the TCP probe says it.
            return Result(PortState.Filtered, null, e.InnerException is SocketException s ? SocketErrors.Describe(s.SocketErrorCode) : e.Message);
        }
    }

    // One TCP probe through the proxy: the tunnel opening is "open"; the proxy's word on the target decides the rest
    // (refused: closed; unreachable or no answer: filtered). The proxy's own failure (down, authentication refused)
    // is no answer about the port: it ends the run with its error.
    private static async Task<PortProbeResult> ProbeThroughProxyAsync(string target, int port, TimeSpan timeout, PortProbeOptions o, CancellationToken ct)
    {
        string? address = IPAddress.TryParse(target.Trim('[', ']'), out IPAddress? literal) ? literal.ToString() : null;
        var connect = new ConnectOptions { IpVersion = o.IpVersion, Timeout = timeout, SourceAddress = o.SourceAddress, SourcePort = o.SourcePort, Proxy = o.Proxy };
        long start = Stopwatch.GetTimestamp();
        try
        {
            using Socket s = await Connector.ConnectAsync(new Endpoint(Transport.Tcp, target.Trim('[', ']'), port), connect, ct).ConfigureAwait(false);
            double ms = (Stopwatch.GetTimestamp() - start) * 1000.0 / Stopwatch.Frequency;
            return new PortProbeResult(target, address, port, Transport.Tcp, PortState.Open, ms, null);
        }
        catch (NsockException e) when (ProxyTunnel.IsTargetFault(e))
        {
            PortState state = e.Kind == NsockErrorKind.Refused ? PortState.Closed : PortState.Filtered;
            return new PortProbeResult(target, address, port, Transport.Tcp, state, null, e.Message);
        }
    }

    private static PortProbeResult ProbeTcp(IPEndPoint ep, TimeSpan timeout, ConnectOptions? source, CancellationToken ct,
        Func<PortState, double?, string?, PortProbeResult> result)
    {
        PortProbeResult? answer = null;
        Connect(new IPEndPoint?[] { ep }, 1, timeout, (_, state, ms, detail) => answer = result(state, ms, detail), forcePortable: false, source, ct);
        ct.ThrowIfCancellationRequested();
        return answer ?? throw new InvalidOperationException("the connect batch ended without an answer");
    }

    // A UDP probe throws nothing on its way: a closed port's ICMP answer, an open port's reply and silence all come
    // back as a SocketError. A full-range probe of a host meets 65,535 closed ports from 100 workers at once, and a
    // thrown SocketException per port (its stack trace captured each time) crashed the native AOT build about once
    // in a dozen runs of three such probes side by side: SIGABRT from the runtime's stack walker
    // (StackFrameIterator::CalculateCurrentMethodState, fail-fast while capturing the trace for the exception
    // ReceiveAsync raised for ECONNREFUSED; issue 14, finding 9). Not throwing removes the trigger, and the cost.
    private static async Task<PortProbeResult> ProbeUdpAsync(IPEndPoint ep, TimeSpan timeout, ConnectOptions? source, CancellationToken ct,
        Func<double> ms, Func<PortState, double?, string?, PortProbeResult> result)
    {
        using Socket s = await Connector.ConnectOneAsync(ep, Transport.Udp, timeout, source, ct).ConfigureAwait(false);
        UdpIcmpErrors.ReportUnreachable(s);
        (SocketError error, bool timedOut) = await UdpExchangeAsync(s, timeout, ct).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        if (timedOut) return result(PortState.OpenFiltered, null, "no reply: a firewall may drop the probe, or the service ignores it");
        return error switch
        {
            SocketError.Success or SocketError.MessageSize => result(PortState.Open, ms(), null),
            SocketError.ConnectionRefused => result(PortState.Closed, ms(), "ICMP port unreachable"),
            SocketError.ConnectionReset => result(PortState.Closed, ms(), "ICMP port unreachable"), // how Windows reports it
            _ => result(PortState.Filtered, null, UdpIcmpErrors.Describe(error)), // the TCP probe's words for the same cause
        };
    }

    // Sends the empty probe datagram and waits for one answer (a datagram or an ICMP error), at most timeout, without
    // throwing. The receive always completes before this returns (a timeout or a cancel closes the socket, which
    // ends the receive), so its event args and buffer are never released while the kernel may still write to them.
    private static async Task<(SocketError Error, bool TimedOut)> UdpExchangeAsync(Socket s, TimeSpan timeout, CancellationToken ct)
    {
        s.Send(Array.Empty<byte>(), 0, 0, SocketFlags.None, out SocketError sent);
        if (sent != SocketError.Success) return (sent, false);
        using var args = new SocketAsyncEventArgs();
        args.SetBuffer(new byte[64], 0, 64); // any reply means open: its bytes are not read
        var done = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        args.Completed += (_, e) => done.TrySetResult(e.SocketError);
        if (!s.ReceiveAsync(args)) return (args.SocketError, false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        int expired = 0;
        using (timer.Token.Register(() =>
        {
            Interlocked.Exchange(ref expired, 1);
            s.Dispose();
        }))
        {
            SocketError error = await done.Task.ConfigureAwait(false);
            bool timedOut = Volatile.Read(ref expired) == 1 && error == SocketError.OperationAborted;
            return (error, timedOut);
        }
    }

    // Every row's targets (CIDR blocks expanded, names resolved once per run) by its ports, in order. The options
    // passed Validate: every block is well formed and the whole run within its bounds.
    private static async Task<Probe[]> ExpandAsync(IReadOnlyList<PortProbeGroup> rows, IpVersion version, bool resolveNames, CancellationToken ct)
    {
        var probes = new List<Probe>();
        var resolved = new Dictionary<string, Target>(StringComparer.OrdinalIgnoreCase);
        foreach (PortProbeGroup row in rows)
        {
            var targets = new List<Target>();
            foreach (string raw in row.Targets)
            {
                string name = raw.Trim();
                if (name.IndexOf('/') >= 0)
                {
                    foreach (IPAddress a in CidrBlock.Parse(name).Addresses()) targets.Add(new Target(a.ToString(), a, null));
                    continue;
                }
                if (!resolveNames)
                {
                    targets.Add(new Target(name, null, null)); // the proxy resolves it
                    continue;
                }
                if (!resolved.TryGetValue(name, out Target? t))
                {
                    t = await ResolveOneAsync(name, version, NameResolver.DefaultTimeout, ct).ConfigureAwait(false);
                    resolved[name] = t;
                }
                targets.Add(t);
            }
            foreach (Target t in targets)
            {
                foreach (int port in row.Ports) probes.Add(new Probe(t, port));
            }
        }
        return probes.ToArray();
    }

    private static async Task<Target> ResolveOneAsync(string name, IpVersion version, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            IPAddress[] addresses = await NameResolver.ResolveAsync(name, version, timeout, ct).ConfigureAwait(false);
            return new Target(name, addresses[0], null);
        }
        catch (NsockException e) when (e.Kind is NsockErrorKind.NameNotFound or NsockErrorKind.TimedOut)
        {
            return new Target(name, null, e.Message);
        }
    }

    private readonly struct Probe
    {
        public readonly Target Target;
        public readonly int Port;

        public Probe(Target target, int port)
        {
            Target = target;
            Port = port;
        }
    }

    private sealed record Target(string Name, IPAddress? Address, string? Error)
    {
        // Written once per target, not once per port: a thousand results share it.
        public string? AddressText { get; } = Address?.ToString();
    }
}
