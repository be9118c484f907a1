using Pipeline.Core.Detection;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Tests.Detection;

/// <summary>Rare-event indicators (docs/detection.md, "Rare outcomes"): the 36-month pooled window and the Poisson CUSUM.</summary>
public class RareEventDetectionTests
{
    private static readonly DetectionOptions AtSeven = new() { CusumThreshold = 7.0 };

    [Fact]
    public void A_rare_indicator_compares_groups_over_the_36_month_window_and_signals_once_it_holds_nine_months()
    {
        var series = new SeriesBuilder("stillbirth", ComparisonBreakdown.EthnicGroup)
            .Months(0, 30, ("White", 4, 1000), ("Black", 2, 300)).Build();
        var engine = new DivergenceEngine(ReferenceData.Embedded);

        var black = engine.EvaluateSeries(series, SeriesBuilder.Month(29)).Comparisons.Single(c => c.GroupCode == "Black");

        Assert.Equal((36, 30), (black.WindowMonths, black.MonthsPresent));
        Assert.Equal(
            (60L, 9000L, 120L, 30_000L), (black.Numerator, black.Denominator, black.ReferenceNumerator, black.ReferenceDenominator));
        Assert.Equal(Signal.Alert, black.Signal); // RR 1.67 on 60 vs 120 events: z ≈ 3.2 over 30 months

        // A strong excess (RR 5) alerts with 9 months in the window, not with 8.
        GroupComparison Strong(int months) => engine.EvaluateSeries(
            new SeriesBuilder("stillbirth", ComparisonBreakdown.EthnicGroup)
                .Months(0, months, ("White", 4, 1000), ("Black", 6, 300)).Build(),
            SeriesBuilder.Month(months - 1)).Comparisons.Single(c => c.GroupCode == "Black");
        Assert.Equal((36, 9, Signal.Alert), (Strong(9).WindowMonths, Strong(9).MonthsPresent, Strong(9).Signal));
        Assert.Equal(Signal.None, Strong(8).Signal);
    }

    [Fact]
    public void The_gradient_and_data_quality_gate_of_a_rare_indicator_keep_the_catalogue_window()
    {
        var series = new SeriesBuilder("stillbirth", ComparisonBreakdown.ImdQuintile)
            .Months(0, 24, ("1", 8, 1000), ("2", 6, 1000), ("3", 5, 1000), ("4", 4, 1000), ("5", 3, 1000)).Build();

        var evaluation = new DivergenceEngine(ReferenceData.Embedded).EvaluateSeries(series, SeriesBuilder.Month(23));

        Assert.Equal(12, evaluation.Gradient!.WindowMonths);
        Assert.All(evaluation.Comparisons, c => Assert.Equal((36, 24), (c.WindowMonths, c.MonthsPresent)));
    }

    [Fact]
    public void A_common_indicator_keeps_its_12_month_window_and_has_no_cusum()
    {
        var series = new SeriesBuilder("smoking_at_booking", ComparisonBreakdown.EthnicGroup)
            .Months(0, 24, ("White", 100, 1000), ("Black", 40, 300)).Build();

        var black = new DivergenceEngine(ReferenceData.Embedded).EvaluateSeries(series, SeriesBuilder.Month(23))
            .Comparisons.Single(c => c.GroupCode == "Black");

        Assert.Equal((12, 12), (black.WindowMonths, black.MonthsPresent));
        Assert.Null(black.Cusum);
        Assert.Null(black.CusumThreshold);
    }

    [Fact]
    public void The_cusum_is_the_log_likelihood_ratio_sum_against_the_reference_groups_pooled_rate()
    {
        // White 5 of 1,000 a month: rate 0.005; Black 400 births a month, expected 2. Events 1, 3, 4:
        // S1 = max(0, ln 2 − 2) = 0; S2 = 3 ln 2 − 2; S3 = S2 + 4 ln 2 − 2 = 7 ln 2 − 4.
        var series = new SeriesBuilder("stillbirth", ComparisonBreakdown.EthnicGroup)
            .Months(0, 3, ("White", 5, 1000))
            .Months(0, 1, ("Black", 1, 400)).Months(1, 1, ("Black", 3, 400)).Months(2, 1, ("Black", 4, 400)).Build();

        var black = new DivergenceEngine(ReferenceData.Embedded, AtSeven).EvaluateSeries(series, SeriesBuilder.Month(2))
            .Comparisons.Single(c => c.GroupCode == "Black");

        Assert.Equal((7 * Math.Log(2)) - 4, black.Cusum!.Value, 12);
        Assert.Equal(7.0, black.CusumThreshold);
    }

    [Fact]
    public void A_doubling_from_onset_is_alerted_by_the_cusum_in_its_fourth_month_before_the_pooled_ratio_can()
    {
        // White 10 of 2,000 (5 per 1,000) throughout; Asian 1,000 births a month, 5 events for 12 months then 10.
        // Expected 5 a month: each doubled month adds 10 ln 2 − 5 ≈ 1.93, so S reaches 7 in the fourth (5.8 after three).
        var series = new SeriesBuilder("stillbirth", ComparisonBreakdown.EthnicGroup)
            .Months(0, 20, ("White", 10, 2000))
            .Months(0, 12, ("Asian", 5, 1000)).Months(12, 8, ("Asian", 10, 1000)).Build();
        var engine = new DivergenceEngine(ReferenceData.Embedded, AtSeven);
        GroupComparison At(int month) =>
            engine.EvaluateSeries(series, SeriesBuilder.Month(month)).Comparisons.Single(c => c.GroupCode == "Asian");

        Assert.Equal(0, At(11).Cusum);
        Assert.NotEqual(Signal.Alert, At(14).Signal);
        Assert.Equal(3 * ((10 * Math.Log(2)) - 5), At(14).Cusum!.Value, 9);
        var fourth = At(15);
        Assert.Equal((Signal.Alert, SignalRule.Cusum), (fourth.Signal, fourth.Rule));
        Assert.True(fourth.RrCiLower998 < 1, "the 36-month pooled ratio alone would not alert yet");
    }
}
