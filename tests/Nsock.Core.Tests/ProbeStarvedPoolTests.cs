using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>Tests that starve the process's thread pool run alone: nothing else may run while every worker is blocked.</summary>
[CollectionDefinition(nameof(StarvedThreadPool), DisableParallelization = true)]
public sealed class StarvedThreadPool
{
}

// PowerShell's ForEach-Object -Parallel runs one probe per runspace, each holding a pool thread: the probe that
// needed pool threads for its own connect completions called open ports "filtered". A TCP probe must need no pool
// thread at all, and call a port filtered only when its connect really went unanswered for the timeout.
[Collection(nameof(StarvedThreadPool))]
public class ProbeStarvedPoolTests
{
    private const int OpenPorts = 40, ClosedPorts = 40;

    [Fact]
    public void The_portable_connect_batch_tells_open_from_closed_while_every_pool_thread_is_blocked()
    {
        // The batch netstandard2.0 (PowerShell 5.1 and, until the engine per edition, 7) and Windows and macOS use.
        WithLoopbackPorts((ports, expected) =>
        {
            var endpoints = ports.Select(p => (IPEndPoint?)new IPEndPoint(IPAddress.Loopback, p)).ToArray();
            var states = new PortState?[ports.Length];
            var details = new string?[ports.Length];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            bool canaryRan = WhileThreadPoolIsStarved(() => TcpConnectBatch.Run(endpoints, 100, TimeSpan.FromSeconds(1),
                (i, state, _, detail) => { states[i] = state; details[i] = detail; }, cts.Token));

            Assert.False(canaryRan, "the thread pool was not starved while the probe ran: this test proved nothing");
            AssertStates(ports, expected, i => states[i]?.ToString() ?? "no answer", i => details[i]);
        });
    }

    [Fact]
    public void Port_prober_tells_open_from_closed_while_every_pool_thread_is_blocked()
    {
        // Whichever batch this platform uses (Linux: raw poll(2); elsewhere the portable one), through the engine's
        // entry point, and once more forced through the portable batch.
        foreach (bool portable in new[] { false, true })
        {
            WithLoopbackPorts((ports, expected) =>
            {
                var o = new PortProbeOptions { Targets = new[] { "127.0.0.1" }, Ports = ports, Timeout = TimeSpan.FromSeconds(1) };
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                IReadOnlyList<PortProbeResult>? results = null;
                bool canaryRan = WhileThreadPoolIsStarved(() =>
                    results = PortProber.RunAsync(o, new TestEventSink(), cts.Token, forcePortableTcp: portable).GetAwaiter().GetResult());

                Assert.False(canaryRan, "the thread pool was not starved while the probe ran: this test proved nothing");
                Assert.NotNull(results);
                Assert.Equal(ports, results!.Select(r => r.Port));
                AssertStates(ports, expected, i => results[i].State.ToString(), i => results[i].Detail, portable ? "portable batch: " : "");
            });
        }
    }

    private static void AssertStates(int[] ports, PortState[] expected, Func<int, string> state, Func<int, string?> detail, string label = "")
    {
        string[] wrong = Enumerable.Range(0, ports.Length).Where(i => state(i) != expected[i].ToString())
            .Select(i => $"{ports[i]} {state(i)} ({detail(i)}) instead of {expected[i]}").ToArray();
        Assert.True(wrong.Length == 0, $"{label}{wrong.Length} of {ports.Length} ports wrong: {string.Join("; ", wrong)}");
    }

    // 40 listening and 40 closed loopback ports, interleaved.
    private static void WithLoopbackPorts(Action<int[], PortState[]> test)
    {
        var listeners = new List<Socket>();
        try
        {
            for (int i = 0; i < OpenPorts; i++) listeners.Add(TestLoopback.ListenTcp());
            int[] open = listeners.Select(TestLoopback.PortOf).ToArray();
            int[] closed = Enumerable.Range(0, ClosedPorts).Select(_ => TestLoopback.ClosedTcpPort()).Except(open).Distinct().ToArray();
            int[] ports = open.Zip(closed, (o, c) => new[] { o, c }).SelectMany(x => x).ToArray();
            PortState[] expected = ports.Select(p => open.Contains(p) ? PortState.Open : PortState.Closed).ToArray();
            test(ports, expected);
        }
        finally
        {
            foreach (Socket s in listeners) s.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="probe"/> on a thread of its own while every thread-pool worker is blocked and the pool may
    /// not add any, for <see cref="Starved"/> (longer than the probes' 1 s timeout); then the pool is let go, as a busy
    /// pool in PowerShell eventually catches up, and the probe may finish. True when a canary item queued before the
    /// probe ran within that time (the pool was not starved, and the test proved nothing).
    /// </summary>
    private static bool WhileThreadPoolIsStarved(Action probe)
    {
        ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
        ThreadPool.GetMaxThreads(out int maxWorkers, out int maxIo);
        // The pool may not grow past its minimum (at least one thread per core; SetMaxThreads refuses less).
        int cap = Math.Max(minWorkers, Environment.ProcessorCount);
        // Not disposed: blockers still queued when the test ends must find it set, not disposed.
        var release = new ManualResetEventSlim(false);
        int blocked = 0, canary = 0;
        Exception? failure = null;
        Thread? thread = null;
        bool ranEarly;
        try
        {
            Assert.True(ThreadPool.SetMaxThreads(cap, Math.Max(minIo, Environment.ProcessorCount)), "could not lower the thread pool's maximum");
            // More blockers than workers: any thread the pool still has (or adds) picks one up and blocks too.
            for (int i = 0; i < cap + 16; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_ =>
                {
                    Interlocked.Increment(ref blocked);
                    release.Wait(TimeSpan.FromSeconds(60));
                }, null);
            }
            // Some workers may be busy already (the test runner's own): wait until no more blockers start.
            var settling = System.Diagnostics.Stopwatch.StartNew();
            int seen = -1;
            while (settling.Elapsed < TimeSpan.FromSeconds(5))
            {
                int now = Volatile.Read(ref blocked);
                if (now == seen && now > 0) break;
                seen = now;
                Thread.Sleep(300);
            }
            ThreadPool.UnsafeQueueUserWorkItem(_ => Interlocked.Exchange(ref canary, 1), null);

            thread = new Thread(() =>
            {
                try
                {
                    probe();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }) { IsBackground = true, Name = "probe under a starved pool" };
            thread.Start();
            thread.Join(Starved);
            ranEarly = Volatile.Read(ref canary) == 1;
        }
        finally
        {
            ThreadPool.SetMaxThreads(maxWorkers, maxIo);
            release.Set();
        }
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "the probe did not end within 30 s of the thread pool being let go");
        if (failure is not null) throw new Xunit.Sdk.XunitException($"the probe failed: {failure}");
        return ranEarly;
    }

    private static readonly TimeSpan Starved = TimeSpan.FromSeconds(2.5);
}
