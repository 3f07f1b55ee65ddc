using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.PowerShell.Tests;

/// <summary>
/// The bridge between engine threads and the pipeline thread: what makes WriteObject legal (events arrive on
/// the thread that drains) and Ctrl+C prompt (stopping releases that thread and closes the engine's sockets).
/// </summary>
public sealed class EngineRunTests
{
    private sealed record Tick(int N) : NsockEvent
    {
        public override string Event => "tick";
    }

    [Fact]
    public void Events_from_engine_threads_are_delivered_in_order_on_the_draining_thread()
    {
        int pipelineThread = Environment.CurrentManagedThreadId;
        var run = new EngineRun<int>(async (sink, ct) =>
        {
            await Task.Yield();
            for (int i = 0; i < 500; i++) sink.Emit(new Tick(i));
            return 42;
        }, CancellationToken.None);
        var seen = new List<int>();
        int result = run.DrainToEnd(item =>
        {
            Assert.Equal(pipelineThread, Environment.CurrentManagedThreadId);
            seen.Add(((Tick)item).N);
        }, CancellationToken.None);
        Assert.Equal(42, result);
        Assert.Equal(Enumerable(500), seen);
    }

    [Fact]
    public void An_engine_failure_is_rethrown_as_it_was_after_the_events_before_it()
    {
        var run = new EngineRun<int>((sink, ct) =>
        {
            sink.Emit(new Tick(1));
            throw new NsockException(NsockErrorKind.Refused, "refused");
        }, CancellationToken.None);
        var seen = new List<object>();
        var e = Assert.Throws<NsockException>(() => run.DrainToEnd(seen.Add, CancellationToken.None));
        Assert.Equal(NsockErrorKind.Refused, e.Kind);
        Assert.Single(seen);
    }

    [Fact]
    public void A_real_refused_connect_becomes_a_ConnectionError()
    {
        int port = Serve.ClosedTcpPort();
        var run = new EngineRun<Socket>((sink, ct) => Connector.ConnectAsync(Serve.Tcp(port), new ConnectOptions { Timeout = Limits.Wait }, ct), CancellationToken.None);
        var e = Assert.Throws<NsockException>(() => run.DrainToEnd(_ => { }, CancellationToken.None));
        Assert.Equal("ConnectionError", ErrorMapping.For(e)!.Category);
    }

    [Fact]
    public async Task Stopping_releases_the_pipeline_thread_at_once_and_closes_the_listener_socket()
    {
        (Listener listener, _) = await Serve.BindAsync(new ListenRequest { Echo = true });
        using (listener)
        {
            int port = listener.Ready.Port;
            using var stop = new CancellationTokenSource();
            var run = new EngineRun<ListenerResult>((sink, ct) => listener.RunAsync(null, null, sink, ct), stop.Token);
            var clock = Stopwatch.StartNew();
            var seen = new List<object>();
            _ = Task.Run(async () =>
            {
                await Task.Delay(200);
                stop.Cancel(); // what StopProcessing does on Ctrl+C
            });
            Assert.ThrowsAny<OperationCanceledException>(() => run.DrainToEnd(seen.Add, stop.Token));
            Assert.True(clock.Elapsed < EngineRun<int>.StopGrace + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
            Assert.IsType<ListenerReady>(seen[0]);
            Assert.True(run.IsDone);
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = Assert.Throws<SocketException>(() => probe.Connect("127.0.0.1", port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [Fact]
    public async Task A_full_queue_holds_the_engine_back_and_stopping_frees_it()
    {
        using var stop = new CancellationTokenSource();
        int emitted = 0;
        var run = new EngineRun<int>((sink, ct) => Task.Run(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                sink.Emit(new Tick(i));
                Interlocked.Increment(ref emitted);
            }
            return 0;
        }), stop.Token, capacity: 4);
        Assert.True(Serve.Eventually(() => Volatile.Read(ref emitted) >= 4));
        await Task.Delay(100);
        Assert.InRange(Volatile.Read(ref emitted), 4, 5); // waiting for the pipeline, not racing ahead
        stop.Cancel();
        await run.Operation.WaitAsync(Limits.Wait); // throws if the engine thread stayed blocked on a full queue
    }

    [Fact]
    public void Drain_available_takes_what_is_queued_without_waiting()
    {
        var gate = new ManualResetEventSlim();
        var run = new EngineRun<int>((sink, ct) => Task.Run(() =>
        {
            sink.Emit(new Tick(1));
            gate.Wait(Limits.Wait);
            return 7;
        }), CancellationToken.None);
        var seen = new List<object>();
        Assert.True(Serve.Eventually(() =>
        {
            run.DrainAvailable(seen.Add);
            return seen.Count == 1;
        }));
        gate.Set();
        Assert.Equal(7, run.DrainToEnd(seen.Add, CancellationToken.None));
    }

    private static List<int> Enumerable(int n)
    {
        var l = new List<int>();
        for (int i = 0; i < n; i++) l.Add(i);
        return l;
    }
}
