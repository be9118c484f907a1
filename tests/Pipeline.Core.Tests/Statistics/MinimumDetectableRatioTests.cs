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
}
