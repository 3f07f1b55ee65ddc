using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// A receiver that accepts a file and then stops reading: the zero-copy send waits for room in the socket
/// buffer, and that wait is bounded by the sender's timeout instead of lasting forever.
/// </summary>
public sealed class FileTransferStalledReceiverTests : IDisposable
{
    private readonly FileTransferFolder _tmp = new("stalled");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task A_receiver_that_stops_reading_fails_the_send_with_timed_out_after_the_timeout()
    {
        // Far more than loopback's socket buffers hold, so the send must wait on the receiver.
        string path = _tmp.File("big.bin", new byte[64 * 1024 * 1024]);
        using Socket listener = Loopback.ListenTcp();
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        using var stop = new CancellationTokenSource();
        Task stalled = Task.Run(async () =>
        {
            using Socket peer = await listener.AcceptAsync();
            await ReadAsync(peer, 6);                                   // NSFT, version, flags
            await peer.SendAsync(new byte[] { (byte)'N', (byte)'S', (byte)'F', (byte)'T', 2, 0 });
            await ReadAsync(peer, 1 + 2 + "big.bin".Length + 21);       // the file header
            await peer.SendAsync(new byte[] { (byte)'A', 0, 0, 0, 0, 0, 0, 0, 0 });
            await Task.Delay(Limits.Wait, stop.Token).ContinueWith(_ => { }); // accepted, then never reads
        });
        var options = new FileSendOptions { Timeout = TimeSpan.FromSeconds(1), Connect = new ConnectOptions { Timeout = Limits.Wait } };

        var e = await Assert.ThrowsAsync<NsockException>(() =>
            FileSender.SendAsync(Loopback.Tcp(port), new[] { FileTransferSupport.Describe(path, "big.bin") }, options, new FileTransferSink(), CancellationToken.None)
                .WaitAsync(Limits.Wait));

        Assert.Equal(NsockErrorKind.TimedOut, e.Kind);
        stop.Cancel();
        await stalled.WaitAsync(Limits.Wait);
    }

    private static async Task ReadAsync(Socket s, int count)
    {
        var buffer = new byte[count];
        for (int got = 0; got < count;)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(got));
            if (n == 0) throw new InvalidOperationException("the sender closed early");
            got += n;
        }
    }
}
