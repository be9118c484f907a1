using CsCheck;
using Pipeline.Core.Statistics;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>Properties every interval must have, over generated counts.</summary>
public class StatisticsPropertyTests
{
    private static readonly Gen<(long X, long N)> Proportion =
        Gen.Long[1, 200_000].SelectMany(n => Gen.Long[0, n].Select(x => (x, n)));

    private static readonly Gen<(long A, long NA, long B, long NB)> TwoGroups =
        Gen.Select(Proportion, Proportion).Select(p => (p.Item1.X, p.Item1.N, p.Item2.X, p.Item2.N));

    [Fact]
    public void Wilson_bounds_lie_in_zero_one_and_contain_the_proportion()
    {
        Proportion.Sample(p =>
        {
            foreach (var confidence in new[] { Confidence.Warning, Confidence.Alarm })
            {
                var ci = WilsonScore.Interval(p.X, p.N, confidence)!.Value;
                var value = (double)p.X / p.N;
                Assert.InRange(ci.Lower, 0, 1);
                Assert.InRange(ci.Upper, 0, 1);
                Assert.True(ci.Lower <= value && value <= ci.Upper, $"{p.X}/{p.N}: {ci}");
            }
        });
    }

    [Fact]
    public void Wilson_gives_exact_zero_and_one_at_the_extremes_and_no_value_without_a_denominator()
    {
        Gen.Long[1, 100_000].Sample(n =>
        {
            Assert.Equal(0, WilsonScore.Interval(0, n, Confidence.Warning)!.Value.Lower);
            Assert.Equal(1, WilsonScore.Interval(n, n, Confidence.Alarm)!.Value.Upper);
        });
        Assert.Null(WilsonScore.Interval(0, 0, Confidence.Warning));
    }

    [Fact]
    public void Risk_ratio_limits_contain_the_ratio_and_the_998_interval_contains_the_95()
    {
        TwoGroups.Sample(g =>
        {
            var rr = RiskRatio.Compute(g.A, g.NA, g.B, g.NB)!;
            Assert.True(rr.Ci95.Contains(rr.Ratio), $"{g}: {rr}");
            Assert.True(rr.Ci998.Lower <= rr.Ci95.Lower && rr.Ci95.Upper <= rr.Ci998.Upper, $"{g}: {rr}");
        });
    }

    [Fact]
    public void Identical_groups_have_ratio_one_with_intervals_containing_one()
    {
        Proportion.Sample(p =>
        {
            var rr = RiskRatio.Compute(p.X, p.N, p.X, p.N)!;
            Assert.Equal(1.0, rr.Ratio, 12);
            Assert.True(rr.Ci95.Contains(1) && rr.Ci998.Contains(1), $"{p}: {rr}");
        });
    }

    [Fact]
    public void Intervals_narrow_as_the_counts_grow_at_the_same_rates()
    {
        Gen.Select(TwoGroups, Gen.Int[2, 50]).Sample(t =>
        {
            var (g, k) = t;
            var small = RiskRatio.Compute(g.A, g.NA, g.B, g.NB)!;
            var large = RiskRatio.Compute(g.A * k, g.NA * k, g.B * k, g.NB * k)!;
            if (!small.Corrected)
            {
                Assert.True(Width(large.Ci95) <= Width(small.Ci95), $"{g} ×{k}");
            }

            var wilsonSmall = WilsonScore.Interval(g.A, g.NA, Confidence.Warning)!.Value;
            var wilsonLarge = WilsonScore.Interval(g.A * k, g.NA * k, Confidence.Warning)!.Value;
            Assert.True(wilsonLarge.Upper - wilsonLarge.Lower < wilsonSmall.Upper - wilsonSmall.Lower, $"{g} ×{k}");
        });
    }

    [Fact]
    public void A_zero_count_is_compared_with_the_haldane_correction_and_a_zero_denominator_not_at_all()
    {
        var rr = RiskRatio.Compute(0, 100, 5, 100)!;
        Assert.True(rr.Corrected);
        Assert.Equal(0.5 / 100.5 / (5.5 / 100.5), rr.Ratio, 12);
        Assert.Null(RiskRatio.Compute(0, 0, 5, 100));
    }

    [Fact]
    public void Exact_poisson_limits_bracket_the_count_and_agree_with_the_poisson_cdf()
    {
        Gen.Int[0, 40].Sample(x =>
        {
            var ci = PoissonLimits.Exact(x, Confidence.Warning);
            Assert.True(ci.Lower <= x && x <= ci.Upper);

            // At the upper limit, P(X ≤ x) = 2.5% exactly (the definition of the exact limit).
            var cdf = 0.0;
            var term = Math.Exp(-ci.Upper);
            for (var k = 0; k <= x; k++)
            {
                cdf += term;
                term *= ci.Upper / (k + 1);
            }

            Assert.Equal(0.025, cdf, 1e-12); // a tolerance, not rounding: rounding both sides flips at a digit boundary
        });
    }

    [Fact]
    public void Normal_quantiles_match_the_published_constants_and_are_antisymmetric()
    {
        // R: qnorm(0.975) and qnorm(0.999), the z of docs/statistics.md (1.959964, 3.090232) to full precision.
        Assert.Equal(1.959963984540054, Confidence.Z(Confidence.Warning), 14);
        Assert.Equal(3.090232306167813, Confidence.Z(Confidence.Alarm), 14);
        Gen.Double[1e-6, 0.5].Sample(p => Math.Abs(NormalDistribution.Quantile(p) + NormalDistribution.Quantile(1 - p)) < 1e-9 * Math.Max(1, Math.Abs(NormalDistribution.Quantile(p))));
    }

    [Fact]
    public void The_inverse_incomplete_gamma_round_trips()
    {
        Gen.Select(Gen.Double[0.05, 2000], Gen.Double[1e-6, 1 - 1e-6]).Sample(t =>
        {
            var (a, p) = t;
            var x = GammaFunctions.InverseRegularizedLowerGamma(a, p);
            Assert.Equal(p, GammaFunctions.RegularizedLowerGamma(a, x), 1e-9); // tolerance: seed 95dhik5jqxQ1 differs by 2e-13 across a rounding boundary
        });
    }

    [Fact]
    public void Type7_percentile_by_selection_equals_the_sorted_definition()
    {
        Gen.Select(Gen.Double[-1e6, 1e6].Array[1, 300], Gen.Double[0, 1]).Sample(t =>
        {
            var (values, p) = t;
            var sorted = values.Order().ToArray();
            var h = (sorted.Length - 1) * p;
            var low = (int)Math.Floor(h);
            var expected = low + 1 < sorted.Length ? sorted[low] + ((h - low) * (sorted[low + 1] - sorted[low])) : sorted[low];
            Assert.Equal(expected, Percentile.Type7([.. values], p), 1e-9 * Math.Max(1, Math.Abs(expected)));
        });
    }

    [Fact]
    public void Type7_at_many_probabilities_gives_exactly_one_Type7_per_probability()
    {
        // Values drawn from few distinct numbers too, so ties sit at the order statistics; tails, middles and the ends.
        var values = Gen.OneOf(Gen.Double[-1e6, 1e6].Array[1, 400], Gen.Int[0, 5].Select(i => (double)i).Array[1, 400]);
        Gen.Select(values, Gen.Double[0, 1].Array[1, 6]).Sample(t =>
        {
            var (draws, ps) = t;
            double[] all = [.. ps, 0, 1, 0.001, 0.025, 0.975, 0.999];
            var expected = all.Select(p => Percentile.Type7([.. draws], p)).ToArray();
            Assert.Equal(expected, Percentile.Type7Many([.. draws], all));
        });
    }

    private static double Width(Interval ci) => Math.Log(ci.Upper) - Math.Log(ci.Lower);

    [Fact]
    public void Type7_at_simulation_tails_of_thousands_of_values_gives_exactly_one_Type7_per_probability()
    {
        // The tail path (sampled bars, #18) serves 1,024 values and more whose needed ranks lie in the outer sixteenths;
        // heavy ties and a skewed spread test that a bar never drops an order statistic.
        var values = Gen.OneOf(
            Gen.Double[-1e6, 1e6].Array[1_024, 12_000],
            Gen.Int[0, 40].Select(i => (double)i).Array[1_024, 12_000],
            Gen.Double[0, 1].Select(x => Math.Exp(20 * x)).Array[1_024, 12_000],
            Gen.Select(Gen.Double[-1, 1].Array[1_024, 3_000], Gen.Int[0, 1_023], WithNaN));
        Gen.Select(values, Gen.Double[0, 0.05].Array[1, 4]).Sample(
            t =>
            {
                var (draws, lows) = t;
                double[] all = [.. lows, .. lows.Select(p => 1 - p), 0.001, 0.025, 0.975, 0.999];
                var expected = all.Select(p => Percentile.Type7([.. draws], p)).ToArray();
                Assert.Equal(expected, Percentile.Type7Many([.. draws], all));
            },
            iter: 200);

        // A NaN has no place in the order: the tail path must hand such draws to the one-at-a-time definition.
        static double[] WithNaN(double[] values, int at)
        {
            values[at] = double.NaN;
            return values;
        }
    }

    [Fact]
    public void Risk_ratio_point_estimate_is_exactly_the_ratio_of_the_full_computation()
    {
        // SPC charts take the ratio alone (#18); zeros (the Haldane correction) and empty denominators included.
        Gen.Select(Gen.Int[0, 500], Gen.Int[0, 5_000], Gen.Int[0, 500], Gen.Int[0, 5_000]).Sample((a, nA, b, nB) =>
            Assert.Equal(RiskRatio.Compute(a, nA, b, nB)?.Ratio, RiskRatio.PointEstimate(a, nA, b, nB)));
    }

    [Fact]
    public void The_latest_point_from_the_baseline_and_the_last_run_is_the_whole_charts_last_point()
    {
        // Detection classifies only each series' latest point (#18): every rule's reach and the baseline must be respected,
        // with ties (few distinct values) making runs, trends and points on the mean common.
        var values = Gen.OneOf(Gen.Double[-1, 1].List[0, 45], Gen.Int[-3, 3].Select(i => i / 10.0).List[0, 45]);
        Gen.Select(values, Gen.Int[2, 14]).Sample((series, baseline) =>
        {
            var first = series.Take(baseline).ToList();
            var last = series.TakeLast(Pipeline.Core.Statistics.Spc.SpecialCauseRules.RunLength).ToList();
            var whole = Pipeline.Core.Statistics.Spc.XmrChart.Build(series, baseline)?.Points[^1];
            var latest = Pipeline.Core.Statistics.Spc.XmrChart.LatestPoint(first, last, baseline);
            Assert.Equal((whole?.Rule, whole?.Side, whole?.Value), (latest?.Rule, latest?.Side, latest?.Value));
        }, iter: 2_000);
    }

    [Fact]
    public void The_latest_point_without_a_chart_is_the_last_point_of_the_chart_over_both_ends()
    {
        // The chartless path (#18) against Build over first ++ last exactly as given: any lengths, overlaps, ties (runs,
        // trends, points on the mean), values far out, and values that are not finite (the chart's own path).
        var value = Gen.Frequency(
            (8, Gen.Double[-1, 1]),
            (8, Gen.Int[-3, 3].Select(i => i / 10.0)),
            (1, Gen.Double[-50, 50]),
            (1, Gen.Int[0, 3].Select(i => new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0 }[i])));
        Gen.Select(value.Array[0, 30], value.Array[0, 12], Gen.Int[-1, 16]).Sample((first, last, baseline) =>
        {
            static object Outcome(Func<SpcPoint?> point)
            {
                try
                {
                    return point() is { } p ? (p.Index, p.Rule, p.Side, BitConverter.DoubleToInt64Bits(p.Value)) : "none";
                }
                catch (ArithmeticException e)
                {
                    return e.GetType();
                }
            }

            var chart = Outcome(() => first.Length >= baseline && last.Length > 0
                ? XmrChart.Build([.. first, .. last], baseline)?.Points[^1] : null);
            var latest = Outcome(() => XmrChart.LatestPoint(first.AsSpan(), last.AsSpan(), baseline));
            Assert.Equal(chart, latest);
        }, iter: 20_000);
    }
}
