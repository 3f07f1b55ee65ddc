using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

public class ReceiverTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4097)]
    [InlineData(1_000_000)]
    [InlineData(2_500_000)]
    public async Task Receiver_stops_after_exactly_the_byte_limit(int limit)
    {
        byte[] data = Payload.Bytes(3_000_000, seed: 50);
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            Task sending = SendSlowlyAsync(peer, data);
            var output = new MemoryStream();
            ReceiveResult r = await ReceiveAsync(client, output, new ReceiveOptions { MaxBytes = limit });
            Assert.Equal(ReceiveEnd.ByteLimit, r.End);
            Assert.Equal(limit, r.Bytes);
            Assert.Equal(data.AsSpan(0, limit).ToArray(), output.ToArray());
            client.Shutdown(SocketShutdown.Both);
            await IgnoreFailureAsync(sending);
        }
    }

    [Fact]
    public async Task Receiver_with_a_zero_byte_limit_reads_nothing()
    {
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            await peer.SendAllAsync(new byte[] { 1 });
            var output = new MemoryStream();
            ReceiveResult r = await ReceiveAsync(client, output, new ReceiveOptions { MaxBytes = 0 });
            Assert.Equal(ReceiveEnd.ByteLimit, r.End);
            Assert.Equal(0, output.Length);
        }
    }

    [Fact]
    public async Task Receiver_rejects_a_negative_byte_limit()
    {
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            var e = await Assert.ThrowsAsync<NsockException>(() => ReceiveAsync(client, new MemoryStream(), new ReceiveOptions { MaxBytes = -1 }));
            Assert.Equal(NsockErrorKind.BadInput, e.Kind);
        }
    }

    [Fact]
    public async Task Receiver_reads_to_end_of_stream_when_the_peer_closes_before_the_limit()
    {
        byte[] data = Payload.Bytes(123_456, seed: 51);
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            await peer.SendAllAsync(data);
            peer.Shutdown(SocketShutdown.Send);
            var output = new MemoryStream();
            ReceiveResult r = await ReceiveAsync(client, output, new ReceiveOptions { MaxBytes = 1_000_000 });
            Assert.Equal(ReceiveEnd.PeerClosed, r.End);
            Assert.Equal(data, output.ToArray());
        }
    }

    [Fact]
    public async Task Receiver_stops_right_after_the_delimiter_and_drops_what_came_after_it_in_the_same_read()
    {
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            await peer.SendAllAsync(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\n\r\nbody"));
            var output = new MemoryStream();
            ReceiveResult r = await ReceiveAsync(client, output, new ReceiveOptions { Until = Encoding.ASCII.GetBytes("\r\n\r\n") });
            Assert.Equal(ReceiveEnd.Delimiter, r.End);
            Assert.Equal("HTTP/1.0 200 OK\r\n\r\n", Encoding.ASCII.GetString(output.ToArray()));
            Assert.Equal(output.Length, r.Bytes);
        }
    }

    [Fact]
    public async Task Receiver_finds_a_self_overlapping_delimiter_split_across_reads()
    {
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            // "aab" arrives as "xaa" + "a" + "b...": a naive matcher resets at the third 'a' and misses it.
            Task sending = Task.Run(async () =>
            {
                foreach (string part in new[] { "xaa", "a", "bTAIL" })
                {
                    await peer.SendAllAsync(Encoding.ASCII.GetBytes(part));
                    await Task.Delay(50);
                }
            });
            var output = new MemoryStream();
            ReceiveResult r = await ReceiveAsync(client, output, new ReceiveOptions { Until = Encoding.ASCII.GetBytes("aab") });
            await sending.WaitAsync(Limits.Wait);
            Assert.Equal(ReceiveEnd.Delimiter, r.End);
            Assert.Equal("xaaab", Encoding.ASCII.GetString(output.ToArray()));
        }
    }

    [Fact]
    public async Task Receiver_gives_up_after_the_idle_timeout_keeping_what_arrived()
    {
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            await peer.SendAllAsync(new byte[] { 1, 2, 3 });
            var output = new MemoryStream();
            var clock = Stopwatch.StartNew();
            ReceiveResult r = await ReceiveAsync(client, output, new ReceiveOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
            Assert.Equal(ReceiveEnd.IdleTimeout, r.End);
            Assert.Equal(new byte[] { 1, 2, 3 }, output.ToArray());
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task Receiver_idle_timeout_restarts_with_every_read()
    {
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        using (peer)
        {
            // Fifteen sends 100 ms apart outlast a 1 s idle timeout in total, but no single gap comes near it
            // (a tenfold margin, for a loaded CI box).
            Task sending = Task.Run(async () =>
            {
                for (int i = 0; i < 15; i++)
                {
                    await peer.SendAllAsync(new[] { (byte)i });
                    await Task.Delay(100);
                }
                peer.Shutdown(SocketShutdown.Send);
            });
            var output = new MemoryStream();
            ReceiveResult r = await ReceiveAsync(client, output, new ReceiveOptions { IdleTimeout = TimeSpan.FromSeconds(1) });
            await sending.WaitAsync(Limits.Wait);
            Assert.True(r.End == ReceiveEnd.PeerClosed, $"ended by {r.End} after {r.Seconds:0.000}s with {r.Bytes} bytes");
            Assert.Equal(Enumerable.Range(0, 15).Select(i => (byte)i), output.ToArray());
        }
    }

    [Fact]
    public async Task Receiver_reports_a_reset_as_an_io_error()
    {
        (Socket client, Socket peer) = await PairAsync();
        using (client)
        {
            peer.Reset();
            var e = await Assert.ThrowsAsync<NsockException>(() => ReceiveAsync(client, new MemoryStream(), new ReceiveOptions()));
            Assert.Equal(NsockErrorKind.Io, e.Kind);
            Assert.Contains("reset", e.Message);
        }
    }

    private static Task<ReceiveResult> ReceiveAsync(Socket client, Stream output, ReceiveOptions options) =>
        Receiver.ReceiveAsync(client, output, options, CancellationToken.None).WaitAsync(Limits.Wait);

    private static async Task<(Socket Client, Socket Peer)> PairAsync()
    {
        using Socket listener = Loopback.ListenTcp();
        Task<Socket> accepting = listener.AcceptBoundedAsync();
        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        return (client, await accepting);
    }

    // Small sends, so the limit falls inside a read rather than on a send boundary.
    private static async Task SendSlowlyAsync(Socket peer, byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += 7919)
            await peer.SendAllAsync(data.AsMemory(offset, Math.Min(7919, data.Length - offset)));
    }

    private static async Task IgnoreFailureAsync(Task task)
    {
        try
        {
            await task.WaitAsync(Limits.Wait);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            // The receiver stopped early on purpose; the sender may be cut off.
        }
    }
}
