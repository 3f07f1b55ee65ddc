using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// What a listener mode does with one accepted client. The listener binds, accepts, filters, counts and reports
// ClientConnected/ClientClosed; a handler only serves. A new mode is a new handler (and a line in ClientHandlers),
// not a new branch in the listener.
internal interface IClientHandler
{
    /// <summary>
    /// Serves <paramref name="client"/> until it is done, and closes it. A client's failure (a reset, broken framing,
    /// a vanished peer) is reported in the outcome, not thrown. Cancelling stops serving; the handler may then throw
    /// <see cref="System.OperationCanceledException"/>.
    /// Returns what <see cref="ClientClosed"/> reports (the file modes also report a <see cref="FileResult"/> per file),
    /// or null for a mode that reports per client in events of its own.
    /// </summary>
    Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct);
}
