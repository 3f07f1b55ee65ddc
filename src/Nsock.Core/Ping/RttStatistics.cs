using System;
using System.Collections.Generic;
using System.Linq;

namespace Nsock.Core;

// Summary statistics of round-trip times, in milliseconds. Standard deviation is the population one (ping's
// mdev); jitter is the mean absolute difference between consecutive replies (in arrival order), as RFC 3550
// defines the inter-arrival variation before smoothing; percentiles use the nearest-rank method.
internal sealed class RttStatistics
{
    public double? Min, Avg, Max, StdDev, Jitter, P50, P90, P99;

    public static RttStatistics From(IReadOnlyList<double> rtts)
    {
        var s = new RttStatistics();
        if (rtts.Count == 0) return s;
        double avg = rtts.Average();
        s.Min = rtts.Min();
        s.Max = rtts.Max();
        s.Avg = avg;
        s.StdDev = Math.Sqrt(rtts.Sum(r => (r - avg) * (r - avg)) / rtts.Count);
        double jitter = 0;
        for (int i = 1; i < rtts.Count; i++) jitter += Math.Abs(rtts[i] - rtts[i - 1]);
        s.Jitter = rtts.Count > 1 ? jitter / (rtts.Count - 1) : 0;
        double[] sorted = rtts.OrderBy(r => r).ToArray();
        s.P50 = Percentile(sorted, 50);
        s.P90 = Percentile(sorted, 90);
        s.P99 = Percentile(sorted, 99);
        return s;
    }

    private static double Percentile(double[] sorted, double p)
    {
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Max(0, Math.Min(sorted.Length - 1, rank - 1))];
    }
}
