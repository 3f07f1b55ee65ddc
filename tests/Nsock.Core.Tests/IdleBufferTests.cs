using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace Nsock.Core.Tests;

/// <summary>
/// An echo or broker client that goes idle right after a burst must not keep a receive buffer. A burst of small
/// segments raises several readiness events, and the bytes of a later one are often taken by the read that follows
/// the first: the zero-byte wait that comes next may end on that stale event with nothing there, and the read after
/// it then waits holding its 64 KiB buffer for as long as the client stays idle. Hundreds of clients make that
/// near-certain to happen to some of them when the wait is not re-checked (SocketIo.WaitReadableAsync).
/// </summary>
public sealed class IdleBufferTests
{
    private const int Segments = 8;
    private const int SegmentSize = 16;

    private readonly ITestOutputHelper _output;

    public IdleBufferTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Echo_clients_idle_after_a_burst_hold_no_buffer()
    {
        var handler = new EchoHandler(new EchoOptions());
        await HoldIdleClientsAsync(1000, handler.ServeAsync, () => handler.BuffersHeld, echoed: true);
    }

    [Fact]
    public async Task Broker_clients_idle_after_a_burst_hold_no_buffer()
    {
        // Each burst goes to every other client too: 300 clients keep that at 300 x 128 bytes waiting in each socket,
        // far below what loopback buffers (no client is dropped for not reading).
        var handler = new BroadcastHandler(input: null, output: Stream.Null, toOtherClients: true);
        await HoldIdleClientsAsync(300, handler.ServeAsync, () => handler.BuffersHeld, echoed: false);
    }

    private async Task HoldIdleClientsAsync(int count, Func<Socket, ClientContext, CancellationToken, Task<ClientOutcome?>> serve, Func<int> buffersHeld, bool echoed)
    {
        using var stop = new CancellationTokenSource();
        using Socket listener = Loopback.ListenTcp(backlog: 64);
        var clients = new List<Socket>(count);
        var serving = new List<Task<ClientOutcome?>>(count);
        var sink = new RecordingSink();
        byte[] burst = new byte[SegmentSize];
        try
        {
            for (int i = 0; i < count; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                clients.Add(client);
                await client.ConnectAsync(listener.LocalEndPoint!);
                Socket served = await listener.AcceptBoundedAsync();
                serving.Add(serve(served, new ClientContext(i + 1, "127.0.0.1:1", sink), stop.Token));
                // The burst: separate segments back to back (each its own readiness event), then idle.
                for (int s = 0; s < Segments; s++) client.Send(burst);
                if (echoed) await client.ReadExactlyAsync(Segments * SegmentSize);
            }

            // Every burst has been read by the handler (echoed back, or seen by the room); a client the wait let go
            // of holds nothing, so the count falls to 0 as the last handlers finish their turn. Bounded: a leaked
            // buffer is held until its client leaves, so before the re-check the count stays above 0.
            int held = buffersHeld();
            for (int i = 0; i < 200 && held > 0; i++)
            {
                await Task.Delay(50);
                held = buffersHeld();
            }
            _output.WriteLine($"{held} of {count} idle clients hold a buffer");
            Assert.True(held == 0, $"{held} of {count} idle clients still hold a 64 KiB receive buffer");
        }
        finally
        {
            stop.Cancel();
            foreach (Socket c in clients) c.Dispose();
            await Task.WhenAll(serving).WaitAsync(Limits.Wait);
        }
        Assert.Equal(0, buffersHeld());
    }
}
