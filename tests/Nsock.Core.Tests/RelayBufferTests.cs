using System;
using System.Net.Sockets;
using System.Threading.Tasks;
using Nsock.Core;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A forward's copy-loop buffer (RelayBuffer): taken only once bytes wait, given back when none are queued, so an idle
/// forwarded connection holds no 1 MiB buffer; and which forwards splice (PeerLocation.OnThisHost).
/// </summary>
[Collection(nameof(ZeroCopySwitch))]
public sealed class RelayBufferTests
{
    [Fact]
    public async Task A_released_buffer_is_taken_only_once_bytes_wait_and_given_back_when_none_are_queued()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        using (served)
        {
            var buffers = new RelayBuffer(ForwardHandler.BufferSize, served);
            Task<byte[]> taking = Task.Run(buffers.Take);
            await Task.Delay(200);
            Assert.False(taking.IsCompleted, "a buffer was taken while nothing was there to read");
            Assert.False(buffers.Holding);

            client.Send(new byte[] { 1, 2, 3 });
            byte[] buffer = await taking.WaitAsync(Limits.Wait);
            Assert.True(buffers.Holding);
            Assert.True(buffer.Length >= ForwardHandler.BufferSize);
            Assert.Equal(3, served.Receive(buffer));

            // More queued: kept for the next read. Nothing queued: given back.
            client.Send(new byte[] { 4 });
            await WaitUntilAsync(() => served.Available > 0);
            buffers.Release();
            Assert.True(buffers.Holding);
            Assert.Same(buffer, buffers.Take());
            Assert.Equal(1, served.Receive(buffer));
            buffers.Release();
            Assert.False(buffers.Holding);

            // An end of stream wakes the wait too (the read then returns 0).
            client.Shutdown(SocketShutdown.Send);
            byte[] again = await Task.Run(buffers.Take).WaitAsync(Limits.Wait);
            Assert.Equal(0, served.Receive(again));
            buffers.Dispose();
            Assert.False(buffers.Holding);
        }
    }

    [Fact]
    public void A_buffer_without_a_source_is_held_between_reads()
    {
        var buffers = new RelayBuffer(64 * 1024, source: null);
        byte[] buffer = buffers.Take();
        buffers.Release();
        Assert.True(buffers.Holding);
        Assert.Same(buffer, buffers.Take());
        buffers.Dispose();
        Assert.False(buffers.Holding);
    }

    [Fact]
    public async Task Loopback_and_unix_peers_are_on_this_host_so_a_forward_between_them_copies()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        using (served)
        {
            Assert.True(PeerLocation.OnThisHost(client));
            Assert.True(PeerLocation.OnThisHost(served));
        }
        (Socket a, Socket b) = SocketPair.Create();
        using (a)
        using (b)
        {
            Assert.True(PeerLocation.OnThisHost(a));
        }
    }

    [Fact]
    public async Task A_file_is_sent_zero_copy_only_to_a_peer_elsewhere()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        string path = System.IO.Path.GetTempFileName();
        try
        {
            using (client)
            using (served)
            using (var file = new System.IO.FileStream(path, System.IO.FileMode.Open))
            {
                Assert.False(ZeroCopy.CanSend(file, client)); // the loopback reader would pay for the cold pages
                ZeroCopy.EvenToThisHost = true;
                try
                {
                    Assert.True(ZeroCopy.CanSend(file, client));
                }
                finally
                {
                    ZeroCopy.EvenToThisHost = false;
                }
            }
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        DateTime until = DateTime.UtcNow + Limits.Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the condition never held");
            await Task.Delay(10);
        }
    }
}
