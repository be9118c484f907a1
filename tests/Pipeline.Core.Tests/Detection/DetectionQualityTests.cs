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
        };

        var rate = DetectionQuality.MeasureDetection(ReferenceData.Embedded, settings).Single(r => r.Breakdown is null);

        Assert.True(rate.Planted >= 40, $"one plant per LMNS, got {rate.Planted}");
        Assert.True(rate.FollowUpShare >= 0.9, $"detected {rate.DetectedWithinFollowUp} of {rate.Planted}");
        Assert.True(rate.DetectedEarly <= rate.DetectedWithinFollowUp);
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
}
