using Pipeline.Core.Statistics;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>
/// The p-chart against published and hand-computed values: Montgomery's orange-juice-can example (Introduction to
/// Statistical Quality Control, 6th ed., ch. 7: 30 samples of 50 cans, p̄ = 0.2313, UCL = 0.4102,
/// LCL = 0.0524, samples 15 and 23 above the upper limit), and limits worked by hand for varying sample sizes.
/// </summary>
public class PChartTests
{
    private static readonly int[] MontgomeryDefectives =
        [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6];

    [Fact]
    public void Montgomery_example_gives_the_published_centre_and_limits()
    {
        var chart = PChart.Build([.. MontgomeryDefectives.Select(d => ((long)d, 50L))], baselinePoints: null)!;

        Assert.Equal(0.2313, chart.Centre, 4);
        Assert.All(chart.Points, p => Assert.Equal(0.4102, p.UpperLimit, 4));
        Assert.All(chart.Points, p => Assert.Equal(0.0524, p.LowerLimit, 4));
    }

    [Fact]
    public void Montgomery_example_flags_samples_15_and_23_above_the_upper_limit()
    {
        var chart = PChart.Build([.. MontgomeryDefectives.Select(d => ((long)d, 50L))], baselinePoints: null)!;

        var outside = chart.Points.Where(p => p.Rule == SpecialCauseRule.OutsideLimits).Select(p => p.Index + 1).ToList();

        Assert.Equal([15, 23], outside);
        Assert.All(chart.Points.Where(p => p.Rule == SpecialCauseRule.OutsideLimits), p => Assert.Equal(SpecialCauseSide.High, p.Side));
    }

    [Fact]
    public void Limits_widen_for_small_months_and_narrow_for_large_ones_as_worked_by_hand()
    {
        // p̄ = 30 / 300 = 0.1. n = 100: σ = √(0.1·0.9/100) = 0.03, limits 0.01 to 0.19; 2σ lines 0.04 to 0.16.
        // n = 25: σ = 0.06, limits −0.08 (shown as 0) to 0.28. n = 175: σ = √(0.09/175) = 0.022678, limits 0.031966 to 0.168034.
        var chart = PChart.Build([(10, 100), (5, 25), (15, 175)], baselinePoints: null)!;

        Assert.Equal(0.1, chart.Centre, 12);
        Assert.Equal((0.01, 0.19), (Math.Round(chart.Points[0].LowerLimit, 10), Math.Round(chart.Points[0].UpperLimit, 10)));
        Assert.Equal((0.04, 0.16), (Math.Round(chart.Points[0].LowerNearLimit, 10), Math.Round(chart.Points[0].UpperNearLimit, 10)));
        Assert.Equal(0, chart.Points[1].LowerLimit);
        Assert.Equal(0.28, chart.Points[1].UpperLimit, 10);
        Assert.Equal(0.031966, chart.Points[2].LowerLimit, 6);
        Assert.Equal(0.168034, chart.Points[2].UpperLimit, 6);
    }

    [Fact]
    public void Limits_never_go_below_zero_or_above_one()
    {
        var high = PChart.Limits(0.95, 10, 3);
        var low = PChart.Limits(0.004, 80, 3);

        Assert.Equal(1, high.Upper);
        Assert.Equal(0.95 - (3 * Math.Sqrt(0.95 * 0.05 / 10)), high.Lower, 12);
        Assert.Equal(0, low.Lower);
        Assert.True(low.Upper is > 0 and < 1);
    }

    [Fact]
    public void The_centre_is_fixed_on_the_baseline_months_only()
    {
        // 12 months at 10%, then 6 at 30%: the centre stays 10%, and the later months are outside the limits.
        List<(long, long)> samples = [.. Enumerable.Repeat((20L, 200L), 12), .. Enumerable.Repeat((60L, 200L), 6)];

        var chart = PChart.Build(samples)!;

        Assert.Equal(0.1, chart.Centre, 12);
        Assert.All(chart.Points.Skip(12), p => Assert.Equal(SpecialCauseRule.OutsideLimits, p.Rule));
        Assert.All(chart.Points.Take(12), p => Assert.False(p.IsSpecialCause));
    }

    [Fact]
    public void Seven_months_on_one_side_of_the_centre_are_a_shift()
    {
        // Centre 0.1 from the first 12 alternating months; then 7 months slightly below (inside the 2σ lines at n = 1000).
        List<(long, long)> samples = [.. Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? 95L : 105L, 1000L)),
            .. Enumerable.Repeat((92L, 1000L), 7)];

        var chart = PChart.Build(samples)!;

        Assert.All(chart.Points.Skip(12), p => Assert.Equal((SpecialCauseRule.Shift, SpecialCauseSide.Low), (p.Rule, p.Side)));
        Assert.Equal(SpecialCauseRules.RunLength, chart.Points.Count(p => p.Rule == SpecialCauseRule.Shift));
    }

    [Fact]
    public void Six_months_on_one_side_are_not_a_shift()
    {
        List<(long, long)> samples = [.. Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? 95L : 105L, 1000L)),
            .. Enumerable.Repeat((92L, 1000L), 6)];

        Assert.DoesNotContain(PChart.Build(samples)!.Points, p => p.IsSpecialCause);
    }

    [Fact]
    public void Seven_months_each_rising_are_a_trend()
    {
        List<(long, long)> samples = [.. Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? 95L : 105L, 1000L)), .. Enumerable.Range(0,
            7).Select(i => (90L + (3 * i), 1000L))];

        var chart = PChart.Build(samples)!;

        Assert.All(chart.Points.Skip(12), p => Assert.Equal((SpecialCauseRule.Trend, SpecialCauseSide.High), (p.Rule, p.Side)));
    }

    [Fact]
    public void Fewer_months_than_the_baseline_or_an_empty_month_give_no_chart()
    {
        Assert.Null(PChart.Build([(1, 10), (2, 10)]));
        Assert.Null(PChart.Build([(1, 10), (0, 0)], baselinePoints: null));
        Assert.Null(PChart.Build([(11, 10)], baselinePoints: null));
    }

    [Theory]
    [InlineData(1.0, 0.999, 5)] // P(X ≤ 4) = 0.9963, P(X ≤ 5) = 0.9994
    [InlineData(1.0, 0.975, 3)] // P(X ≤ 2) = 0.9197, P(X ≤ 3) = 0.9810
    [InlineData(1.0, 0.025, 0)] // P(X = 0) = 0.3679
    [InlineData(10.0, 0.025, 4)] // P(X ≤ 3) = 0.0103, P(X ≤ 4) = 0.0293
    [InlineData(10.0, 0.975, 17)] // P(X ≤ 16) = 0.9730, P(X ≤ 17) = 0.9857
    [InlineData(10.0, 0.001, 2)] // P(X ≤ 1) = 0.000499, P(X ≤ 2) = 0.00277
    [InlineData(0.0, 0.999, 0)]
    public void Poisson_quantiles_match_the_tables(double mean, double p, long expected)
    {
        Assert.Equal(expected, CumulativeEvents.PoissonQuantile(mean, p));
    }

    [Fact]
    public void Cumulative_events_are_compared_with_the_count_expected_at_the_reference_rate()
    {
        // Reference rate 4 per 1,000: 1,000 then 2,500 people give 4 and 10 expected events.
        var points = CumulativeEvents.Build([(5, 1000), (25, 2500)], 0.004);

        Assert.Equal([4.0, 10.0], points.Select(p => Math.Round(p.Expected, 10)));
        Assert.Equal(new Interval(4, 17), points[1].Limits95);
        Assert.Equal(0, points[0].BeyondAlarm);
        Assert.Equal(1, points[1].BeyondAlarm); // 25 events against a 99.8% range ending at CumulativeEvents.PoissonQuantile(10, 0.999)
        Assert.True(CumulativeEvents.PoissonQuantile(10, 0.999) < 25);
    }
}
