using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

// The nc data path against a real loopback peer: every byte arrives both ways, and each side's end of stream
// reaches the other only after its last byte.
[Collection(nameof(ZeroCopySwitch))]
public class StreamRelayHalfCloseTests
{
    [Theory]
    [InlineData(1L << 20)]
    [InlineData(100L << 20)]
    public async Task Relay_half_closes_after_its_input_and_still_receives_the_peers_whole_reply(long size)
    {
        using Socket listener = Loopback.ListenTcp();
        using var input = new RandomPayloadStream(size, seed: 1);
        using var reply = new RandomPayloadStream(size, seed: 2);
        using var output = new HashingStream();

        // The peer reads to end of stream first (so it only answers after the relay's half-close), then answers and closes.
        Task<(long Length, string Sha256)> peer = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptBoundedAsync();
            var got = await s.ReadToEndHashedAsync();
            await s.SendStreamAndShutdownAsync(reply);
            return got;
        });

        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        RelayResult r = await StreamRelay.RunAsync(client, input, output, new RelayOptions(), CancellationToken.None).WaitAsync(Limits.Wait);
        (long peerGot, string peerHash) = await peer.WaitAsync(Limits.Wait);

        Assert.Equal(RelayEnd.Completed, r.End);
        Assert.True(r.Succeeded);
        Assert.Null(r.Error);
        Assert.Equal(size, r.BytesSent);
        Assert.Equal(size, r.BytesReceived);
        Assert.Equal(size, peerGot);
        Assert.Equal(input.Sha256, peerHash);
        Assert.Equal(size, output.Written);
        Assert.Equal(reply.Sha256, output.Sha256());
    }

    [Fact]
    public async Task Relay_keeps_sending_its_input_after_the_peer_half_closes_first()
    {
        using Socket listener = Loopback.ListenTcp();
        byte[] reply = Payload.Bytes(1 << 20, seed: 3);
        byte[] later = Payload.Bytes(1 << 20, seed: 4);
        using var input = new BlockingInputStream();
        using var output = new HashingStream();

        // The peer sends everything and half-closes at once, then reads what the relay sends afterwards.
        Task<byte[]> peer = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptBoundedAsync();
            Task<byte[]> reading = s.ReadToEndAsync();
            await s.SendAllAsync(reply);
            s.Shutdown(SocketShutdown.Send);
            return await reading;
        });

        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        var options = new RelayOptions { StopWhenPeerCloses = false };
        Task<RelayResult> relay = StreamRelay.RunAsync(client, input, output, options, CancellationToken.None);

        // Input is still open when the peer's end of stream arrives; only then does input deliver its data.
        await WaitUntilAsync(() => output.Written >= reply.Length || relay.IsCompleted);
        await Task.Delay(100);
        Assert.False(relay.IsCompleted, "the relay ended when the peer half-closed, though its input was still open");
        input.Add(later.AsSpan(0, 1000).ToArray());
        input.Add(later.AsSpan(1000).ToArray());
        input.Complete();

        RelayResult r = await relay.WaitAsync(Limits.Wait);
        byte[] peerGot = await peer.WaitAsync(Limits.Wait);
        Assert.Equal(RelayEnd.Completed, r.End);
        Assert.Equal(Payload.Sha256(reply), output.Sha256());
        Assert.Equal(Payload.Sha256(later), Payload.Sha256(peerGot));
        Assert.Equal(later.Length, r.BytesSent);
        Assert.Equal(reply.Length, r.BytesReceived);
    }

    [Fact]
    public async Task Relay_told_to_stop_when_the_peer_closes_ends_while_input_is_still_open()
    {
        using Socket listener = Loopback.ListenTcp();
        byte[] reply = Payload.Bytes(100_000, seed: 5);
        using var input = new BlockingInputStream();
        using var output = new MemoryStream();
        Task peer = Task.Run(async () =>
        {
            using Socket s = await listener.AcceptBoundedAsync();
            await s.SendAllAsync(reply);
            s.Shutdown(SocketShutdown.Send);
            await s.ReadToEndAsync();
        });

        Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
        RelayResult r = await StreamRelay.RunAsync(client, input, output, new RelayOptions { StopWhenPeerCloses = true }, CancellationToken.None).WaitAsync(Limits.Wait);
        input.Complete();
        await peer.WaitAsync(Limits.Wait);

        Assert.Equal(RelayEnd.PeerClosed, r.End);
        Assert.True(r.Succeeded);
        Assert.Equal(Payload.Sha256(reply), Payload.Sha256(output.ToArray()));
    }

    // A file input goes through the kernel's zero-copy path (sendfile) to a peer elsewhere, and through the copy loop
    // to one on this host (PeerLocation): forced here on loopback too, so both paths are covered. Either must carry the
    // same bytes and half-close the same way, however the file was opened (the CLI opens files, and wraps a redirected
    // stdin, synchronously).
    [Theory]
    [InlineData(FileOptions.None, false)]
    [InlineData(FileOptions.Asynchronous, false)]
    [InlineData(FileOptions.None, true)]
    [InlineData(FileOptions.Asynchronous, true)]
    public async Task Relay_sends_a_file_input_whole_and_then_half_closes(FileOptions openedWith, bool zeroCopy)
    {
        if (zeroCopy) ZeroCopy.EvenToThisHost = true;
        using Socket listener = Loopback.ListenTcp();
        string path = Path.Combine(Path.GetTempPath(), "nsock-relay-" + Guid.NewGuid().ToString("N") + ".bin");
        byte[] data = Payload.Bytes((1 << 20) + 12345, seed: 6);
        await File.WriteAllBytesAsync(path, data);
        try
        {
            Task<byte[]> peer = Task.Run(async () =>
            {
                using Socket s = await listener.AcceptBoundedAsync();
                byte[] got = await s.ReadToEndAsync();
                await s.SendAllAsync(new byte[] { 42 });
                return got;
            });
            using var output = new MemoryStream();
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, openedWith))
            {
                Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
                RelayResult r = await StreamRelay.RunAsync(client, file, output, new RelayOptions(), CancellationToken.None).WaitAsync(Limits.Wait);
                Assert.True(r.End == RelayEnd.Completed, $"relay ended {r.End}: {r.Error}");
                Assert.Equal(data.Length, r.BytesSent);
            }
            byte[] got = await peer.WaitAsync(Limits.Wait);
            Assert.Equal(Payload.Sha256(data), Payload.Sha256(got));
            Assert.Equal(new byte[] { 42 }, output.ToArray());
        }
        finally
        {
            if (zeroCopy) ZeroCopy.EvenToThisHost = false;
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Relay_from_a_file_sends_only_from_the_files_current_position()
    {
        using Socket listener = Loopback.ListenTcp();
        string path = Path.Combine(Path.GetTempPath(), "nsock-relay-" + Guid.NewGuid().ToString("N") + ".bin");
        byte[] data = Payload.Bytes(200_000, seed: 7);
        await File.WriteAllBytesAsync(path, data);
        try
        {
            Task<byte[]> peer = Task.Run(async () =>
            {
                using Socket s = await listener.AcceptBoundedAsync();
                return await s.ReadToEndAsync();
            });
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous))
            {
                file.Seek(1000, SeekOrigin.Begin);
                Socket client = await Loopback.ConnectAsync(Loopback.Tcp(listener.Port()));
                RelayResult r = await StreamRelay.RunAsync(client, file, null, new RelayOptions(), CancellationToken.None).WaitAsync(Limits.Wait);
                Assert.True(r.End == RelayEnd.Completed, $"relay ended {r.End}: {r.Error}");
                Assert.Equal(data.Length - 1000, r.BytesSent);
                Assert.Equal(data.Length, file.Position);
            }
            byte[] got = await peer.WaitAsync(Limits.Wait);
            Assert.Equal(Payload.Sha256(data.AsSpan(1000)), Payload.Sha256(got));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + Limits.Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition never became true");
            await Task.Delay(10);
        }
    }
}
