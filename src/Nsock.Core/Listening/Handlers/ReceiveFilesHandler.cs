using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Receive-files mode: each sender is served by a FileReceiver on a thread of its own (blocking calls, the cheap
// path for the bytes of big files); the byte limit and the names being received are shared by every sender of the run.
// On Linux the thread is started only once the sender has sent something (or hung up): until then it waits in the
// shared epoll waiter (LinuxReadiness), so 10,000 connected-but-silent senders are not 10,000 threads. The waiter
// never puts the socket in .NET's async mode, which would slow down the blocking path behind it.
internal sealed class ReceiveFilesHandler : IClientHandler
{
    private readonly ReceiveFilesOptions _options;
    private readonly SharedBudget _budget;
    private readonly NamesInProgress _inProgress = new();

    public ReceiveFilesHandler(ReceiveFilesOptions options)
    {
        _options = options;
        _budget = new SharedBudget(options.MaxBytes);
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        var receiver = new FileReceiver(client, _options, context.Sink, _budget, _inProgress);
        string? error = null;
        try
        {
            await WaitForGreetingAsync(client, receiver, ct).ConfigureAwait(false);
            await BlockingThread.RunAsync("nsock receive-files", client, receiver.Run, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            error = "listener stopped";
        }
        catch (Exception e)
        {
            // Whatever a sender does (broken framing, absurd values, vanishing, trickling) ends only its own session:
            // nothing it sends may take the listener down. Each file already reported how it ended; the session's
            // end is in the client's closed event.
            error = e is NsockException ? e.Message : SocketErrors.FromIo(e, "receiving files").Message;
        }
        finally
        {
            // The blocking path closed it already; a session that ended while waiting for the greeting is closed here.
            client.Dispose();
        }
        return new ClientOutcome(receiver.BytesReceived, receiver.BytesSent, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error);
    }

    // Waits (Linux) for the greeting's first byte within the wait Run's first read would make; a sender silent
    // that long ends with the error that read would have thrown, and Run then is never started.
    private static async Task WaitForGreetingAsync(Socket client, FileReceiver receiver, CancellationToken ct)
    {
#if NET
        if (!OperatingSystem.IsLinux() || LinuxReadiness.Shared is not LinuxReadiness readiness) return;
        TimeSpan limit = receiver.GreetingWait(out bool byDeadline);
        if (!await readiness.WaitReadableAsync(client, limit, ct).ConfigureAwait(false)) throw receiver.GreetingWaitRanOut(byDeadline);
#else
        await Task.CompletedTask.ConfigureAwait(false);
#endif
    }
}
