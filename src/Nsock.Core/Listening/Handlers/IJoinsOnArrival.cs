using System.Net.Sockets;

namespace Nsock.Core;

// A mode whose clients share what they hear (the keep-open relay and the broker): the listener lets it take the
// client in before it reports the client connected, so anything that happens after the `connected` event (a line
// on the listener's input, another client's message) reaches that client. Joining in ServeAsync instead left a
// window in which input written right after the event went to everyone but the newcomer.
internal interface IJoinsOnArrival
{
    /// <summary>Takes <paramref name="client"/> in; the listener calls <see cref="IClientHandler.ServeAsync"/> for it next.</summary>
    void Join(Socket client, ClientContext context);
}
