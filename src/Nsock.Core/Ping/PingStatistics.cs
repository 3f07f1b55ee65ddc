using System.Collections.Generic;

namespace Nsock.Core;

// Builds the summary record both kinds of ping return.
internal static class PingStatistics
{
    public static PingSummary Summarize(PingOptions o, string address, Transport protocol, long sent, List<double> rtts, long refused,
        long unreachable, long duplicates, long reordered, long late, long foreign)
    {
        RttStatistics s = RttStatistics.From(rtts);
        double loss = sent == 0 ? 0 : (sent - rtts.Count) * 100.0 / sent;
        return new PingSummary(o.Endpoint.ToString(), address, protocol, sent, rtts.Count, refused, loss,
            s.Min, s.Avg, s.Max, s.StdDev, s.Jitter, s.P50, s.P90, s.P99, duplicates, reordered, late, foreign, unreachable);
    }
}
