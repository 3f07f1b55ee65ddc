using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Nsock.Core.Tests;

public sealed class BlockingThreadTests
{
    [Fact]
    public async Task Cancelling_closes_the_socket_under_a_blocked_receive_and_reports_cancellation()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            using var cts = new CancellationTokenSource();
            Task<int> receiving = BlockingThread.RunAsync("test receive", served, () => served.Receive(new byte[16]), cts.Token);
            await Task.Delay(50);

            cts.Cancel();

            var e = await Assert.ThrowsAsync<OperationCanceledException>(() => receiving.WaitAsync(Limits.Wait));
            Assert.Equal(cts.Token, e.CancellationToken);
            Assert.NotNull(e.InnerException); // the error of the receive the close interrupted
        }
    }

    [Fact]
    public async Task The_socket_is_closed_when_the_body_ends_and_the_result_comes_back()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            int result = await BlockingThread.RunAsync("test send", served, () => served.Send(new byte[] { 1, 2, 3 }), CancellationToken.None).WaitAsync(Limits.Wait);

            Assert.Equal(3, result);
            Assert.Equal(new byte[] { 1, 2, 3 }, await client.ReadToEndAsync()); // then end of stream: the loop closed it
        }
    }

    [Fact]
    public async Task A_failure_before_any_cancellation_is_the_tasks_fault_as_thrown()
    {
        (Socket client, Socket served) = await Loopback.SocketPairAsync();
        using (client)
        {
            Task failing = BlockingThread.RunAsync("test failure", served, () => throw new InvalidOperationException("broken"), CancellationToken.None);

            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Limits.Wait));
            Assert.Equal("broken", e.Message);
        }
    }

    [Fact]
    public async Task The_body_runs_on_a_named_background_thread_and_its_failure_never_escapes_it()
    {
        (string? Name, bool Background) seen = default;
        Task running = BlockingThread.RunAsync("nsock test loop", () =>
        {
            seen = (Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground);
            throw new InvalidOperationException("left for the task");
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => running.WaitAsync(Limits.Wait));
        Assert.Equal(("nsock test loop", true), seen);
    }
}
