using System;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// nsock forward's splice(2) path (Linux; taken when neither end is on this host, or with NSOCK_SPLICE=1): the relay
// between a client's socket and the target's, as ForwardHandler runs it, moves the bytes socket to socket through a
// pipe per direction and keeps the copy loops' semantics: each half-close passed on, a reset closing the other side, bytes counted each way, both timeouts, cancellation.
[SupportedOSPlatform("linux")]
[Collection(nameof(ZeroCopySwitch))]
public class ForwardSpliceTests
{
    private static readonly RelayOptions AsForward = new() { BufferSize = ForwardHandler.BufferSize, IdleTimeout = TimeSpan.FromSeconds(10) };

    // client <-> [served | relay | toTarget] <-> target
    private sealed class Rig : IDisposable
    {
        public Socket Client = null!, Served = null!, ToTarget = null!, Target = null!;

        public static async Task<Rig> StartAsync()
        {
            var rig = new Rig();
            (rig.Client, rig.Served) = await Loopback.SocketPairAsync();
            (rig.ToTarget, rig.Target) = await Loopback.SocketPairAsync();
            return rig;
        }

        public Task<RelayResult> Relay(RelayOptions options, CancellationToken ct = default)
        {
            var stream = new SocketStream(ToTarget);
            return StreamRelay.RunAsync(Served, stream, stream, options, ct);
        }

        public void Dispose()
        {
            Client.Dispose();
            Served.Dispose();
            ToTarget.Dispose();
            Target.Dispose();
        }
    }

    [LinuxFact]
    public async Task A_forward_relay_is_spliced_and_passes_each_half_close_on_with_every_byte_counted()
    {
        byte[] request = Payload.Bytes(3 << 20, seed: 170);
        byte[] response = Payload.Bytes(5 << 20, seed: 171);
        using Rig rig = await Rig.StartAsync();
        Task<RelayResult> relay = rig.Relay(AsForward);

        // The target answers only after the request's end: the client's half-close must reach it through the splice.
        Task<byte[]> serving = Task.Run(async () =>
        {
            byte[] got = await rig.Target.ReadToEndAsync();
            await rig.Target.SendAllAsync(response);
            rig.Target.Shutdown(SocketShutdown.Send);
            return got;
        });
        byte[] back = await rig.Client.RoundTripAsync(request);
        RelayResult r = await relay.WaitAsync(Limits.Wait);

        Assert.True(r.Spliced, "the forward relay took the copy loops, not splice");
        Assert.Equal(Payload.Sha256(request), Payload.Sha256(await serving.WaitAsync(Limits.Wait)));
        Assert.Equal(Payload.Sha256(response), Payload.Sha256(back));
        Assert.Equal(RelayEnd.Completed, r.End);
        Assert.Null(r.Error);
        Assert.Equal(request.Length, r.BytesReceived);
        Assert.Equal(response.Length, r.BytesSent);
    }

    [LinuxFact]
    public async Task The_target_half_closing_first_reaches_the_client_which_can_still_send()
    {
        byte[] greeting = Payload.Bytes(1 << 20, seed: 172);
        byte[] later = Payload.Bytes(2 << 20, seed: 173);
        using Rig rig = await Rig.StartAsync();
        Task<RelayResult> relay = rig.Relay(AsForward);

        Task<byte[]> targetReads = rig.Target.ReadToEndAsync();
        await rig.Target.SendAllAsync(greeting);
        rig.Target.Shutdown(SocketShutdown.Send);
        // The client sees the whole greeting and then the end of stream while its own direction is still open.
        byte[] got = await rig.Client.ReadToEndAsync().WaitAsync(Limits.Wait);
        Assert.Equal(Payload.Sha256(greeting), Payload.Sha256(got));
        Assert.False(relay.IsCompleted, "the relay ended on the target's half-close though the client was still sending");

        await rig.Client.SendAllAsync(later);
        rig.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal(Payload.Sha256(later), Payload.Sha256(await targetReads.WaitAsync(Limits.Wait)));
        RelayResult r = await relay.WaitAsync(Limits.Wait);
        Assert.True(r.Spliced);
        Assert.Equal(RelayEnd.Completed, r.End);
        Assert.Equal(greeting.Length, r.BytesSent);
        Assert.Equal(later.Length, r.BytesReceived);
    }

    [LinuxFact]
    public async Task A_reset_by_the_client_closes_the_targets_connection()
    {
        using Rig rig = await Rig.StartAsync();
        Task<RelayResult> relay = rig.Relay(AsForward);
        await rig.Client.SendAllAsync(Payload.Bytes(1000, seed: 174));
        Assert.Equal(1000, (await rig.Target.ReadExactlyAsync(1000).WaitAsync(Limits.Wait)).Length);

        rig.Client.Reset();
        RelayResult r = await relay.WaitAsync(Limits.Wait);
        rig.ToTarget.Dispose(); // ForwardHandler's part once the relay returns
        // The target learns it as the copy loops tell it: a reset, not a clean end of stream.
        var e = await Assert.ThrowsAsync<SocketException>(() => DrainAsync(rig.Target));
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        Assert.True(r.Spliced);
        Assert.Equal(RelayEnd.Failed, r.End);
        Assert.NotNull(r.Error);
        Assert.Equal(1000, r.BytesReceived);
    }

    [LinuxFact]
    public async Task A_reset_by_the_target_closes_the_clients_connection()
    {
        using Rig rig = await Rig.StartAsync();
        Task<RelayResult> relay = rig.Relay(AsForward);
        await rig.Target.SendAllAsync(Payload.Bytes(2000, seed: 175));
        Assert.Equal(2000, (await rig.Client.ReadExactlyAsync(2000).WaitAsync(Limits.Wait)).Length);

        rig.Target.Reset();
        RelayResult r = await relay.WaitAsync(Limits.Wait);
        await EndsAsync(rig.Client);
        Assert.True(r.Spliced);
        Assert.Equal(RelayEnd.Failed, r.End);
        Assert.Equal(2000, r.BytesSent);
    }

    [LinuxFact]
    public async Task Idle_timeout_closes_a_spliced_forward_quiet_both_ways()
    {
        using Rig rig = await Rig.StartAsync();
        RelayResult r = await rig.Relay(AsForward with { InactivityTimeout = TimeSpan.FromMilliseconds(300) }).WaitAsync(Limits.Wait);
        rig.ToTarget.Dispose(); // ForwardHandler's part once the relay returns
        await EndsAsync(rig.Client);
        await EndsAsync(rig.Target);
        Assert.True(r.Spliced);
        Assert.Equal(RelayEnd.IdleTimeout, r.End);
        Assert.Contains("idle for", r.Error!.Message);
    }

    [LinuxFact]
    public async Task Timeout_bounds_the_silence_after_the_client_ended_on_the_splice_path()
    {
        using Rig rig = await Rig.StartAsync();
        Task<RelayResult> relay = rig.Relay(AsForward with { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        // Only the direction carrying the input's end (target to client) counts for --timeout: the target ends, the
        // client stays open and silent.
        rig.Target.Shutdown(SocketShutdown.Send);
        RelayResult r = await relay.WaitAsync(Limits.Wait);
        Assert.True(r.Spliced);
        Assert.Equal(RelayEnd.IdleTimeout, r.End);
        Assert.Equal(NsockErrorKind.TimedOut, r.Error!.Kind);
    }

    [LinuxFact]
    public async Task Cancelling_a_spliced_forward_ends_it_and_closes_both_sides()
    {
        using Rig rig = await Rig.StartAsync();
        using var cts = new CancellationTokenSource();
        Task<RelayResult> relay = rig.Relay(AsForward, cts.Token);
        await rig.Client.SendAllAsync(Payload.Bytes(100, seed: 176));
        Assert.Equal(100, (await rig.Target.ReadExactlyAsync(100).WaitAsync(Limits.Wait)).Length);

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => relay.WaitAsync(Limits.Wait));
        rig.ToTarget.Dispose(); // as ForwardHandler does once the relay returns; it must not wait on the pumps for long
        await EndsAsync(rig.Client);
        await EndsAsync(rig.Target);
    }

    // Both ends on this host (loopback): the reader would pay for pages no copy warmed, so the listener's forward
    // copies, with 1 MiB buffers taken only while bytes wait (PeerLocation.OnThisHost, RelayBuffer).
    [LinuxFact]
    public async Task A_forward_through_the_listener_between_loopback_ends_copies_instead_of_splicing()
    {
        using Socket target = Loopback.ListenTcp();
        var options = new ListenRequest { Endpoint = Loopback.Tcp(0).ToString(), ForwardTo = Loopback.Tcp(target.Port()).ToString() }
            .Validate(PlainOptionNames.Instance).Options;
        await using RunningListener server = await RunningListener.StartAsync(options);
        long before = LinuxSplice.Directions;
        using Socket client = await Loopback.ConnectAsync(server.Endpoint);
        using Socket served = await target.AcceptBoundedAsync();
        byte[] data = Payload.Bytes(1 << 20, seed: 177);
        await client.SendAllAsync(data);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(Payload.Sha256(data), Payload.Sha256(await served.ReadToEndAsync().WaitAsync(Limits.Wait)));
        served.Shutdown(SocketShutdown.Send);
        Assert.Empty(await client.ReadToEndAsync().WaitAsync(Limits.Wait));

        ClientClosed closed = (await server.Sink.WaitForAsync<ClientClosed>()).Single();
        Assert.Null(closed.Error);
        Assert.Equal(data.Length, closed.BytesReceived);
        Assert.True(LinuxSplice.Directions == before, "a loopback forward was spliced");
    }

    [LinuxFact]
    public async Task A_relay_that_needs_the_bytes_keeps_the_copy_loops()
    {
        using Rig rig = await Rig.StartAsync();
        Task<RelayResult> relay = rig.Relay(AsForward with { Crlf = true });
        await rig.Target.SendAllAsync(new byte[] { (byte)'a', (byte)'\n' });
        rig.Target.Shutdown(SocketShutdown.Send);
        Assert.Equal("a\r\n", System.Text.Encoding.ASCII.GetString(await rig.Client.ReadToEndAsync().WaitAsync(Limits.Wait)));
        rig.Client.Shutdown(SocketShutdown.Send);
        RelayResult r = await relay.WaitAsync(Limits.Wait);
        Assert.False(r.Spliced);
        Assert.Equal(RelayEnd.Completed, r.End);
    }

    private static async Task DrainAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        while (await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limits.Wait) > 0)
        {
        }
    }

    // The far side's connection ended: a read gives end of stream or a reset, never hangs.
    private static async Task EndsAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(Limits.Wait) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
    }
}
