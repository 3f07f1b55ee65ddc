using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

/// <summary>
/// Ping over UDP (numbered, matched echo probes) or TCP (connect time). Replies and losses are reported as
/// they happen; the summary is returned, also when the run is cancelled part way (as ping prints its
/// statistics on Ctrl+C).
/// </summary>
internal static class Pinger
{
    /// <summary>Runs the probes <paramref name="options"/> describes; bad options fail before any socket is opened.</summary>
    public static Task<PingSummary> RunAsync(PingOptions options, IEventSink sink, CancellationToken ct)
    {
        options.Validate();
        return options.Endpoint.Transport == Transport.Tcp
            ? TcpPingSession.RunAsync(options, sink, ct)
            : UdpPingSession.RunAsync(options, sink, ct);
    }
}
