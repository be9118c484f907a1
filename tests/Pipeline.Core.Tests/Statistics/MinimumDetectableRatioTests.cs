using CsCheck;
using Pipeline.Core.Detection;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;
using Pipeline.Core.Tests.Detection;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>
/// The minimum detectable ratio (docs/detection.md, "Silence is not equity"). With denominators so large that the 1/n terms vanish, and
/// equal
/// group and reference denominators, the Katz condition ln f = z·SE reduces to closed forms solved here by hand:
/// higher is worse, a = f·b: (ln f)² = z²(1/(f·b) + 1/b), so b = z²(1 + 1/f)/(ln f)²;
/// lower is worse, a = b/f: (ln f)² = z²(f/b + 1/b), so b = z²(1 + f)/(ln f)².
/// Choosing f and solving for b gives cases whose answer is f.
/// </summary>
public class MinimumDetectableRatioTests
{
    private const double Huge = 1e13;
    private static readonly double Z998 = 3.090232306167813;

    [Theory]
    [InlineData(Math.E)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void Higher_is_worse_gives_the_ratio_at_which_the_expected_998_lower_bound_reaches_1(double f)
    {
        var b = Z998 * Z998 * (1 + (1 / f)) / (Math.Log(f) * Math.Log(f));

        var mdr = MinimumDetectableRatio.Compute(Huge, b, Huge, lowerIsWorse: false, Confidence.Alarm, 1.25, 5);

        Assert.NotNull(mdr);
        Assert.Equal(f, mdr.Value, 5);
    }

    [Theory]
    [InlineData(Math.E)]
    [InlineData(2.0)]
    public void Lower_is_worse_gives_the_factor_by_which_the_rate_is_divided(double f)
    {
        var b = Z998 * Z998 * (1 + f) / (Math.Log(f) * Math.Log(f));

        var mdr = MinimumDetectableRatio.Compute(Huge, b, Huge, lowerIsWorse: true, Confidence.Alarm, 1.25, 5);

        Assert.NotNull(mdr);
        Assert.Equal(f, mdr.Value, 5);
    }

    [Fact]
    public void Plenty_of_events_cannot_go_below_the_materiality_ratio()
    {
        Assert.Equal(1.25, MinimumDetectableRatio.Compute(1e6, 1e5, 1e6, lowerIsWorse: false, Confidence.Alarm, 1.25, 5)!.Value, 12);
        Assert.Equal(1.25, MinimumDetectableRatio.Compute(1e6, 6e5, 1e6, lowerIsWorse: true, Confidence.Alarm, 1.25, 5)!.Value, 12);
    }

    [Fact]
    public void Fewer_reference_events_than_the_alert_rule_needs_detect_nothing()
    {
        Assert.Null(MinimumDetectableRatio.Compute(10_000, 4, 10_000, lowerIsWorse: false, Confidence.Alarm, 1.25, 5));
        Assert.Null(MinimumDetectableRatio.Compute(10_000, 0, 10_000, lowerIsWorse: false, Confidence.Alarm, 1.25, 5));
    }

    [Fact]
    public void A_group_too_small_to_reach_five_events_even_at_a_rate_of_one_detects_nothing()
    {
        Assert.Null(MinimumDetectableRatio.Compute(4, 40, 10_000, lowerIsWorse: false, Confidence.Alarm, 1.25, 5));
    }

    [Theory]
    [InlineData(9_000, 35, 100_000, false)]
    [InlineData(1_500, 40, 11_000, false)]
    [InlineData(150, 600, 1_000, true)]
    public void At_the_mdr_the_katz_998_bound_on_the_expected_counts_is_exactly_1(double nA, double b, double nB, bool lowerIsWorse)
    {
        var mdr = MinimumDetectableRatio.Compute(nA, b, nB, lowerIsWorse, Confidence.Alarm, 1.25, 5)!.Value;
        var p0 = b / nB;
        var a = lowerIsWorse ? p0 * nA / mdr : p0 * mdr * nA;

        var rr = RiskRatio.Compute(a, nA, b, nB)!;

        Assert.Equal(1.0, lowerIsWorse ? rr.Ci998.Upper : rr.Ci998.Lower, 8);
    }

    [Fact]
    public void The_engine_stores_the_mdr_on_every_comparison_and_marks_one_that_could_not_detect_a_doubling()
    {
        // 12 months: White 3/1000 a month (36 events), Black 300 births a month, Mixed 20 a month.
        var series = new SeriesBuilder("stillbirth", ComparisonBreakdown.EthnicGroup)
            .Months(0, 12, ("White", 3, 1000), ("Black", 1, 300), ("Mixed", 0, 20), ("Unknown", 0, 20)).Build();
        var comparisons = new DivergenceEngine(ReferenceData.Embedded).EvaluateSeries(series, SeriesBuilder.Month(11)).Comparisons;

        var black = comparisons.Single(c => c.GroupCode == "Black");
        var mixed = comparisons.Single(c => c.GroupCode == "Mixed");

        Assert.Equal(MinimumDetectableRatio.Compute(3600, 36, 12_000, false, Confidence.Alarm, 1.25, 5), black.Detectable!.Ratio);
        Assert.True(black.Detectable.Ratio > 2, "10.8 expected events in the group cannot show a doubling at 99.8%");
        Assert.True(black.Detectable.CannotDetectDoubling);
        // 240 births: five events need a rate 6.9 times the reference's.
        Assert.Equal(5 / (240 * 0.003), mixed.Detectable!.Ratio!.Value, 9);
        Assert.True(mixed.Detectable.CannotDetectDoubling);
    }

    [Fact]
    public void The_search_that_stops_at_adjacent_doubles_gives_exactly_the_hundred_step_answer()
    {
        // The bisection stops once its ends are adjacent doubles (#18); the full 100 steps (below, as it was) must give
        // the same bits for both polarities, rare and common rates, small and huge groups and the edges of the search.
        var count = Gen.OneOf(Gen.Double[0, 50], Gen.Double[0, 5_000], Gen.Double[0, 1e7], Gen.Int[0, 20].Select(i => (double)i));
        Gen.Select(count, count, count, Gen.Bool, Gen.OneOf(Gen.Double[0.9, 0.9999], Gen.Int[0, 0].Select(_ => Confidence.Alarm)),
            Gen.Double[1, 2], Gen.Int[0, 10]).Sample((nG, b, nRef, lowerIsWorse, confidence, material, minimum) =>
        {
            var expected = PlainCompute(nG, Math.Min(b, nRef), nRef, lowerIsWorse, confidence, material, minimum);
            var actual = MinimumDetectableRatio.Compute(nG, Math.Min(b, nRef), nRef, lowerIsWorse, confidence, material, minimum);
            Assert.Equal(expected.HasValue, actual.HasValue);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected ?? 0), BitConverter.DoubleToInt64Bits(actual ?? 0));
        }, iter: 20_000);
    }

    /// <summary>The search as it was before #18, every one of its 100 bisection steps taken.</summary>
    private static double? PlainCompute(
        double groupDenominator,
        double referenceNumerator,
        double referenceDenominator,
        bool lowerIsWorse,
        double confidence,
        double materialRatio,
        double minimumEvents)
    {
        if (groupDenominator <= 0 || referenceDenominator <= 0 || referenceNumerator <= 0 || referenceNumerator < minimumEvents)
        {
            return null;
        }

        var z = Confidence.Z(confidence);
        var p0 = referenceNumerator / referenceDenominator;
        var referenceVariance = (1 / referenceNumerator) - (1 / referenceDenominator);
        double Expected(double f) => lowerIsWorse ? p0 * groupDenominator / f : p0 * f * groupDenominator;

        // Margin of ln f over z·SE(ln RR) at the expected counts; > 0 means the interval excludes 1 on the worse side.
        double Margin(double logF)
        {
            var a = Expected(Math.Exp(logF));
            return logF - (z * Math.Sqrt(Math.Max(0, (1 / a) - (1 / groupDenominator) + referenceVariance)));
        }

        // Higher is worse: expected events grow with f, so the margin increases; f stops where the rate reaches 1.
        // Lower is worse: expected events shrink as f grows, the margin rises then falls (concave in ln f), and f stops
        // where the group would fall below the minimum events.
        var low = Math.Log(Math.Max(1, materialRatio));
        var high = Math.Log(Math.Min(MinimumDetectableRatio.SearchLimit, lowerIsWorse ? p0 * groupDenominator / minimumEvents : 1 / p0));
        if (!lowerIsWorse)
        {
            low = Math.Max(low, Math.Log(minimumEvents / (p0 * groupDenominator)));
        }

        if (!(high >= low))
        {
            return null;
        }

        if (Margin(low) > 0)
        {
            return Math.Exp(low);
        }

        if (lowerIsWorse)
        {
            // Golden-section search for the margin's peak; the smallest detectable f lies below it.
            double a = low, b = high;
            var ratio = (Math.Sqrt(5) - 1) / 2;
            for (var i = 0; i < 80; i++)
            {
                var c = b - (ratio * (b - a));
                var d = a + (ratio * (b - a));
                if (Margin(c) < Margin(d))
                {
                    a = c;
                }
                else
                {
                    b = d;
                }
            }

            high = (a + b) / 2;
        }

        if (!(Margin(high) > 0))
        {
            return null;
        }

        for (var i = 0; i < 100; i++)
        {
            var mid = (low + high) / 2;
            if (Margin(mid) > 0)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return Math.Exp(high);
    }
}
