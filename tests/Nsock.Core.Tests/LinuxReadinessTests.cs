using System;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The shared epoll waiter (LinuxReadiness) on real loopback sockets: each way a wait ends, and that it leaves the
/// socket as it found it, blocking at the OS level (.NET's async API would have made it non-blocking for good).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LinuxReadinessTests
{
    private static LinuxReadiness Waiter => LinuxReadiness.Shared ?? throw new InvalidOperationException("no epoll here");

    private static bool NonBlocking(Socket s) =>
        (Interop.Libc.Fcntl((int)s.Handle, Interop.Libc.F_GETFL, 0) & Interop.Libc.O_NONBLOCK) != 0;

    [LinuxFact]
    public async Task A_wait_ends_true_when_bytes_arrive_and_leaves_the_socket_blocking()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        using (served)
        {
            Assert.False(NonBlocking(served));
            Task<bool> wait = Waiter.WaitReadableAsync(served, Limits.Wait, CancellationToken.None);
            client.Send(new byte[] { 42 });

            Assert.True(await wait.WaitAsync(Limits.Wait));
            Assert.False(NonBlocking(served), "the wait put the socket in non-blocking mode");
            var one = new byte[1];
            Assert.Equal(1, served.Receive(one));
            Assert.Equal(42, one[0]);
        }
    }

    [LinuxFact]
    public async Task A_wait_ends_false_when_its_limit_passes_first()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        using (served)
        {
            Assert.False(await Waiter.WaitReadableAsync(served, TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(Limits.Wait));
            // Out of epoll: a second wait on the same socket registers it again, and sees the byte.
            client.Send(new byte[] { 1 });
            Assert.True(await Waiter.WaitReadableAsync(served, Limits.Wait, CancellationToken.None).WaitAsync(Limits.Wait));
        }
    }

    [LinuxFact]
    public async Task A_wait_ends_true_when_the_peer_hangs_up()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (served)
        {
            Task<bool> wait = Waiter.WaitReadableAsync(served, Limits.Wait, CancellationToken.None);
            client.Dispose();
            Assert.True(await wait.WaitAsync(Limits.Wait));
            Assert.Equal(0, served.Receive(new byte[1]));
        }
    }

    [LinuxFact]
    public async Task Cancelling_a_wait_cancels_its_task()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        using (served)
        {
            using var cts = new CancellationTokenSource();
            Task<bool> wait = Waiter.WaitReadableAsync(served, Limits.Wait, cts.Token);
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Limits.Wait));
        }
    }

    [LinuxFact]
    public async Task Disposing_a_socket_that_is_waited_on_ends_the_wait_and_the_dispose()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            Task<bool> wait = Waiter.WaitReadableAsync(served, Limits.Wait, CancellationToken.None);
            // The wait holds a reference on the handle: .NET disconnects the socket and waits for it, which the waiter sees as a hang-up.
            await Task.Run(served.Dispose).WaitAsync(Limits.Wait);
            Assert.True(await wait.WaitAsync(Limits.Wait));
            Assert.True(await Waiter.WaitReadableAsync(served, Limits.Wait, CancellationToken.None).WaitAsync(Limits.Wait), "a wait on a closed socket did not end at once");
        }
    }
}
