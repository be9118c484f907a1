using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>PHE funnel limits and significance labels (proportions and O/E ratios, no overdispersion).</summary>
public class FunnelReferenceTests
{
    public static TheoryData<string> ProportionLimitCases => ReferenceCases.Ids("calculate_funnel_limits (statistic=proportion)");

    public static TheoryData<string> RatioLimitCases => ReferenceCases.Ids("calculate_funnel_limits (statistic=ratio)");

    public static TheoryData<string> SignificanceCases => ReferenceCases.Ids("assign_funnel_significance");

    [Theory]
    [MemberData(nameof(ProportionLimitCases))]
    public void Proportion_funnel_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var multiplier = i.Number("multiplier");
        var average = i.Number("average_proportion");
        var warning = FunnelLimits.Proportion(average, i.Number("population"), Confidence.Warning).Scale(multiplier);
        var alarm = FunnelLimits.Proportion(average, i.Number("population"), Confidence.Alarm).Scale(multiplier);
        var e = c.Expected();
        var t = c.Tolerance();
        ReferenceCases.AssertClose(e.Number("lower_2s_limit"), warning.Lower, t, "lower_2s");
        ReferenceCases.AssertClose(e.Number("upper_2s_limit"), warning.Upper, t, "upper_2s");
        ReferenceCases.AssertClose(e.Number("lower_3s_limit"), alarm.Lower, t, "lower_3s");
        ReferenceCases.AssertClose(e.Number("upper_3s_limit"), alarm.Upper, t, "upper_3s");
        ReferenceCases.AssertClose(e.Number("baseline"), average * multiplier, t, "baseline");
    }

    [Theory]
    [MemberData(nameof(RatioLimitCases))]
    public void Ratio_funnel_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var observed = c.Inputs().Number("observed_events");
        var e = c.Expected();
        var t = c.Tolerance();
        foreach (var (sigma, confidence) in new[] { ("2s", Confidence.Warning), ("3s", Confidence.Alarm) })
        {
            var (lower, upper) = FunnelLimits.RatioExpectedEvents(observed, confidence);
            ReferenceCases.AssertClose(e.Number($"lower_{sigma}_exp_events"), lower, t, $"lower_{sigma}_exp_events");
            ReferenceCases.AssertClose(e.Number($"upper_{sigma}_exp_events"), upper, t, $"upper_{sigma}_exp_events");
            ReferenceCases.AssertClose(e.Number($"lower_{sigma}_isr"), 100 * observed / lower, t, $"lower_{sigma}_isr");
            ReferenceCases.AssertClose(e.Number($"upper_{sigma}_isr"), 100 * observed / upper, t, $"upper_{sigma}_isr");
            if (e.OptionalNumber($"lower_{sigma}_count") is { } lowerCount)
            {
                ReferenceCases.AssertClose(lowerCount, (observed / lower) - 1, t, $"lower_{sigma}_count");
                ReferenceCases.AssertClose(e.Number($"upper_{sigma}_count"), (observed / upper) - 1, t, $"upper_{sigma}_count");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SignificanceCases))]
    public void Funnel_significance_label_matches_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var significance = ((string)c["method"]!).Contains("proportion", StringComparison.Ordinal)
            ? FunnelLimits.ProportionSignificance(i.Number("numerator"), i.Number("denominator"), i.Number("average_proportion"))
            : FunnelLimits.RatioSignificance(i.Number("observed"), i.Number("expected"));
        Assert.Equal((string)c.Expected()["significance"]!, Label(significance));
    }

    private static string Label(FunnelSignificance s) => s switch
    {
        FunnelSignificance.Low0001 => "Low (0.001)",
        FunnelSignificance.Low0025 => "Low (0.025)",
        FunnelSignificance.High0001 => "High (0.001)",
        FunnelSignificance.High0025 => "High (0.025)",
        _ => "Not significant",
    };
}
