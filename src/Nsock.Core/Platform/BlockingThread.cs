using System;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// A blocking loop on a thread of its own. Blocking sockets are the cheapest data path there is, and a blocking
// read is the only way to read stdin without an allocation per call; neither takes a CancellationToken, so such a
// loop is stopped by closing what it blocks on: every platform then makes the blocked call return with an error.
// The threads are background threads (they never keep the process alive), and whatever a body throws ends up in
// the returned task, never as an unhandled exception that would take the process down.
internal static class BlockingThread
{
    /// <summary>
    /// Runs <paramref name="body"/>, which owns <paramref name="socket"/>: cancelling closes the socket under it, and
    /// the socket is closed when the body ends. What the body throws once cancellation was requested (typically the
    /// error of the call the close interrupted) becomes an <see cref="OperationCanceledException"/> with that error
    /// inside; before that, the task fails with the exception as thrown.
    /// </summary>
    public static Task<T> RunAsync<T>(string name, Socket socket, Func<T> body, CancellationToken ct)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(name, () =>
        {
            T result = default!;
            Exception? failure = null;
            using (ct.Register(static s => ((Socket)s!).Dispose(), socket))
            {
                try
                {
                    result = body();
                }
                catch (Exception e) when (ct.IsCancellationRequested)
                {
                    failure = new OperationCanceledException($"{name}: cancelled", e, ct);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    // Closed before the task completes: whoever awaits it finds the peer already told.
                    socket.Dispose();
                }
            }
            if (failure is null) done.TrySetResult(result);
            else done.TrySetException(failure);
        });
        return done.Task;
    }

    /// <inheritdoc cref="RunAsync{T}(string, Socket, Func{T}, CancellationToken)"/>
    public static Task RunAsync(string name, Socket socket, Action body, CancellationToken ct) =>
        RunAsync(name, socket, () =>
        {
            body();
            return true;
        }, ct);

    /// <summary>
    /// Runs <paramref name="body"/>, whose end someone else arranges (by closing the socket or stream it blocks on,
    /// or by the end of its input). The task fails with what the body throws; a caller that has nothing to do with
    /// the failure may drop the task.
    /// </summary>
    public static Task RunAsync(string name, Action body)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Start(name, () =>
        {
            try
            {
                body();
                done.TrySetResult(true);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        });
        return done.Task;
    }

    private static void Start(string name, ThreadStart body) => new Thread(body) { IsBackground = true, Name = name }.Start();
}
