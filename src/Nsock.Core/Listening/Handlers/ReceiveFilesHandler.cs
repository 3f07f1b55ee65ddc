using System;
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
        try
        {
            await BlockingThread.RunAsync("nsock receive-files", client, () => new FileReceiver(client, _options, context.Sink, _budget, _inProgress).Run(), ct).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Whatever a sender does (broken framing, absurd values, vanishing) ends only its own session:
            // nothing it sends may take the listener down. Each file already reported how it ended.
        }
        return null;
    }
}
