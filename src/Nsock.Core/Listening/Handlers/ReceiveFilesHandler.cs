using System;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Receive-files mode: each sender is served by a FileReceiver on a thread of its own (blocking calls, the cheap
// path for the bytes of big files); the byte limit and the names being received are shared by every sender of the run.
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
        return new ClientOutcome(receiver.BytesReceived, receiver.BytesSent, (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency, error);
    }
}
