using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// Plain relay mode (nc -l): the one client to the input and output streams, with half-close. Cancelling throws,
// as the relay does: the listener's run is then cancelled, not finished.
internal sealed class RelayHandler : IClientHandler
{
    private readonly Stream? _input;
    private readonly Stream? _output;
    private readonly RelayOptions _options;

    public RelayHandler(Stream? input, Stream? output, RelayOptions options)
    {
        _input = input;
        _output = output;
        _options = options;
    }

    public async Task<ClientOutcome?> ServeAsync(Socket client, ClientContext context, CancellationToken ct)
    {
        RelayResult r = await StreamRelay.RunAsync(client, _input, _output, _options with { ClientId = context.Id }, ct).ConfigureAwait(false);
        return new ClientOutcome(r.BytesReceived, r.BytesSent, r.Seconds, r.Error?.Message) { Relay = r };
    }
}
