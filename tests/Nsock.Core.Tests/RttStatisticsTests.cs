using System;
using System.Linq;
using Xunit;

namespace Nsock.Core.Tests;

/// <summary>
/// The ping summary's numbers. RttStatistics sums and sorts with loops (LINQ's generic code over double cost the
/// native binary, issue #13); LINQ stays here as the definition they must match to the last bit.
/// </summary>
public sealed class RttStatisticsTests
{
    [Theory]
    [InlineData(new[] { 0.25 })]
    [InlineData(new[] { 1.5, 0.2, 3.75 })]
    [InlineData(new[] { 10.1, 0.31, 0.31, 7.7, 0.05, 12.9, 3.3, 3.3, 0.42, 99.99, 1e-3 })]
    public void Statistics_are_LINQs_min_max_mean_population_deviation_and_nearest_rank_percentiles(double[] rtts)
    {
        RttStatistics s = RttStatistics.From(rtts);

        double avg = rtts.Average();
        double[] sorted = rtts.OrderBy(r => r).ToArray();
        double Rank(double p) => sorted[Math.Max(0, Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1))];
        Assert.Equal(rtts.Min(), s.Min);
        Assert.Equal(rtts.Max(), s.Max);
        Assert.Equal(avg, s.Avg);
        Assert.Equal(Math.Sqrt(rtts.Sum(r => (r - avg) * (r - avg)) / rtts.Length), s.StdDev);
        Assert.Equal(Rank(50), s.P50);
        Assert.Equal(Rank(90), s.P90);
        Assert.Equal(Rank(99), s.P99);
    }

    [Fact]
    public void Jitter_is_the_mean_difference_between_consecutive_replies_in_arrival_order()
    {
        RttStatistics s = RttStatistics.From(new[] { 1.0, 4.0, 2.0 });

        Assert.Equal((3.0 + 2.0) / 2, s.Jitter);
        Assert.Equal(2.0, s.P50); // sorted 1, 2, 4: the input order is left alone
    }

    [Fact]
    public void No_replies_give_no_numbers()
    {
        RttStatistics s = RttStatistics.From(Array.Empty<double>());

        Assert.Null(s.Min);
        Assert.Null(s.Avg);
        Assert.Null(s.P99);
    }
}
