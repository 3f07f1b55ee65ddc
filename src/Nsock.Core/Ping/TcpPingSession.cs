using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Nsock.Core;

// TCP ping: the time to complete a handshake with any TCP port, then a graceful close. A refusal (RST) or no
// answer within the timeout counts the probe lost.
internal static class TcpPingSession
{
    public static async Task<PingSummary> RunAsync(PingOptions o, IEventSink sink, CancellationToken ct)
    {
        ConnectOptions connect = o.Connect;
        // Through a proxy each probe is a whole tunnel (connect to the proxy, its connect to the target, its answer),
        // and the target's name is the proxy's to resolve.
        IPEndPoint? target = null;
        string from = ConnectTarget.Join(o.Endpoint.Host, o.Endpoint.Port);
        if (connect.Proxy is null)
        {
            IPAddress[] addresses = await NameResolver.ResolveAsync(o.Endpoint.Host!, connect.Family, o.Timeout, ct).ConfigureAwait(false);
            target = new IPEndPoint(addresses[0], o.Endpoint.Port);
            from = PeerName.Of(target);
        }
        var rtts = new List<double>();
        long sent = 0, refused = 0, unreachable = 0;
        bool tlsReported = false;
        long start = Stopwatch.GetTimestamp();
        using var pump = new EventPump(sink);
        try
        {
            for (int i = 0; i < o.Warmup + o.Count; i++)
            {
                if (i > 0 && o.Interval > TimeSpan.Zero)
                {
                    TimeSpan due = TimeSpan.FromTicks(o.Interval.Ticks * i) - Elapsed(start);
                    if (due > TimeSpan.Zero) await Task.Delay(due, ct).ConfigureAwait(false);
                }
                bool counted = i >= o.Warmup;
                long seq = i - o.Warmup + 1;
                if (counted) sent++;
                long t0 = Stopwatch.GetTimestamp();
                try
                {
                    using Socket s = target is null
                        ? await Connector.ConnectAsync(o.Endpoint, connect with { Timeout = o.Timeout }, ct).ConfigureAwait(false)
                        : await Connector.ConnectOneAsync(target, Transport.Tcp, o.Timeout, connect, ct).ConfigureAwait(false);
                    long t1 = Stopwatch.GetTimestamp();
                    double rtt = (t1 - t0) * 1000.0 / Stopwatch.Frequency;
                    // From a fixed source port a graceful close would leave the four-tuple in TIME_WAIT and fail the
                    // next probe's connect: end with a reset instead (the handshake, all that is measured, is done).
                    if (o.SourcePort != 0) s.LingerState = new LingerOption(true, 0);
                    double? tlsMs = null;
                    if (o.Tls is not null)
                    {
                        // The tls event once (the first counted probe), not once a probe.
                        using TlsStream tls = await o.Tls.StartAsync(s, o.Endpoint, counted && !tlsReported ? pump : NoEvents.Instance, ct).ConfigureAwait(false);
                        tlsMs = (Stopwatch.GetTimestamp() - t1) * 1000.0 / Stopwatch.Frequency;
                        tlsReported |= counted;
                    }
                    if (!counted) continue;
                    rtts.Add(rtt);
                    pump.Emit(new PingReply(seq, 0, rtt, from, Transport.Tcp, tlsMs));
                }
                // Through a proxy only the target's failures, as the proxy reports them, are lost probes; the proxy's
                // own (down, authentication refused) end the ping with its error.
                catch (NsockException e) when (e.Kind != NsockErrorKind.BadInput && (connect.Proxy is null || ProxyTunnel.IsTargetFault(e)))
                {
                    if (!counted) continue;
                    if (e.Kind == NsockErrorKind.Refused) refused++;
                    if (e.Kind == NsockErrorKind.Unreachable) unreachable++;
                    pump.Emit(new PingLost(seq, Reason(e)));
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C: the statistics so far are the answer.
        }
        return PingStatistics.Summarize(o, from, Transport.Tcp, sent, rtts, refused, unreachable, 0, 0, 0, 0);
    }

    // The same words as the UDP ping's for the same cause: "unreachable: no route to host" for an ICMP host
    // unreachable or admin-prohibited answer to the SYN, as for one to a datagram.
    private static string Reason(NsockException e) => e.Kind switch
    {
        NsockErrorKind.Refused => "refused",
        NsockErrorKind.TimedOut => "no answer within the timeout",
        NsockErrorKind.Unreachable when e.InnerException is SocketException s => SocketErrors.Classify(s.SocketErrorCode, "unreachable").Message,
        _ => e.Message,
    };

    private sealed class NoEvents : IEventSink
    {
        public static readonly NoEvents Instance = new();

        public void Emit(NsockEvent e)
        {
        }
    }

    private static TimeSpan Elapsed(long since) => TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency);
}
