using System;
using System.Collections.Generic;

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
        // Loops, summing in order as LINQ's Sum and Average do, rather than LINQ: its generic code over double is
        // code of its own in the native binary (issue #13).
        double sum = 0, min = rtts[0], max = rtts[0];
        foreach (double r in rtts)
        {
            sum += r;
            if (r < min) min = r;
            if (r > max) max = r;
        }
        double avg = sum / rtts.Count;
        s.Min = min;
        s.Max = max;
        s.Avg = avg;
        double squares = 0;
        foreach (double r in rtts) squares += (r - avg) * (r - avg);
        s.StdDev = Math.Sqrt(squares / rtts.Count);
        double jitter = 0;
        for (int i = 1; i < rtts.Count; i++) jitter += Math.Abs(rtts[i] - rtts[i - 1]);
        s.Jitter = rtts.Count > 1 ? jitter / (rtts.Count - 1) : 0;
        var sorted = new double[rtts.Count];
        for (int i = 0; i < sorted.Length; i++) sorted[i] = rtts[i];
        Array.Sort(sorted);
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
