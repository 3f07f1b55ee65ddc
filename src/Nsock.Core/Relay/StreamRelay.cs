using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Moves bytes both ways between a connected socket and an input/output pair (the nc data path), with
/// half-close: when input ends the socket's write side is shut down and the relay keeps reading until the
/// peer closes, so no byte in flight is lost.
/// </summary>
internal static class StreamRelay
{
    /// <summary>
    /// Relays until both directions end (or as <paramref name="options"/> says). The relay owns
    /// <paramref name="socket"/> and closes it; it never closes <paramref name="input"/> or <paramref name="output"/>.
    /// A null <paramref name="output"/> discards what arrives; a null <paramref name="input"/> sends nothing.
    /// Cancelling closes the socket and throws <see cref="System.OperationCanceledException"/>.
    /// </summary>
    /// With <paramref name="wire"/> (TLS over the socket) bytes go through it; the socket still half-closes and times out.
    public static Task<RelayResult> RunAsync(Socket socket, Stream? input, Stream? output, RelayOptions options, CancellationToken ct, Stream? wire = null) =>
        new RelaySession(socket, input, output, options, wire).RunAsync(ct);
}
