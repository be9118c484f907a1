using Pipeline.Core.Detection;
using Pipeline.Core.Detection.Evaluation;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Tests.Detection;

/// <summary>The detection-quality experiment on small settings: it finds strong plants and is calibrated on null data.</summary>
public class DetectionQualityTests
{
    [Fact]
    public void Strong_lmns_divergences_on_a_common_indicator_are_found_within_a_year()
    {
        var settings = new DetectionQualitySettings
        {
            DivergenceDatasets = 1,
            Ratios = [3.0],
            Indicators = ["booking_by_10_weeks"],
            Levels = [Level.Lmns],
            FollowUpMonths = 12,
        };

        var rate = DetectionQuality.MeasureDetection(ReferenceData.Embedded, settings).Single(r => r.Breakdown is null);

        Assert.True(rate.Planted >= 40, $"one plant per LMNS, got {rate.Planted}");
        Assert.True(rate.MidShare >= 0.9, $"detected {rate.DetectedMid} of {rate.Planted}");
        Assert.True(rate.DetectedEarly <= rate.DetectedMid && rate.DetectedMid <= rate.DetectedWithinFollowUp);
    }

    [Fact]
    public void On_null_data_the_ratio_rule_alerts_on_about_one_test_in_a_thousand()
    {
        var settings = new DetectionQualitySettings { NullDatasets = 1, NullEvaluatedMonths = 12, NullIndicators = ["caesarean"] };

        var nulls = DetectionQuality.MeasureFalseAlerts(ReferenceData.Embedded, settings);

        Assert.InRange(nulls.LmnsYears, 40, 45);
        Assert.True(nulls.Routed.ComparisonMonths > 10_000);
        Assert.True(nulls.Routed.RatioAlertRate < 0.004, $"ratio alerts on {nulls.Routed.RatioAlertRate:P3} of null tests");
        Assert.True(nulls.Routed.GradientAlertRate < 0.05, $"gradient alerts on {nulls.Routed.GradientAlertRate:P3} of null tests");
    }

    [Fact]
    public void The_cusum_sweep_counts_fewer_null_alerts_as_h_rises_and_matches_the_configured_threshold()
    {
        var settings = new DetectionQualitySettings
        {
            NullDatasets = 1,
            NullEvaluatedMonths = 12,
            NullIndicators = ["stillbirth"],
            CusumThresholds = [3.0, 5.0, 7.0, 9.0],
            Options = DetectionOptions.Default with { CusumThreshold = 5.0 },
        };

        var nulls = DetectionQuality.MeasureFalseAlerts(ReferenceData.Embedded, settings);

        var rates = nulls.CusumSweep.Select(p => p.LmnsPerYear).ToList();
        Assert.Equal(rates.OrderByDescending(r => r), rates);
        Assert.True(nulls.CusumSweep[0].LmnsCusumOnlyPerYear > 0, "a low threshold raises CUSUM alerts on null data");
        Assert.Equal(nulls.CusumSweep.Single(p => p.Threshold == 5.0).LmnsPerYear, nulls.PerLmnsYear(nulls.LmnsLevel.NewAlerts), 12);
    }
}
