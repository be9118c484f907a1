using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>FunnelPlotR cases: unadjusted SR limits, aggregation, outliers, SHMI and CQC overdispersion.</summary>
public class OverdispersionReferenceTests
{
    public static TheoryData<string> LimitCases => ReferenceCases.Ids("FunnelPlotR calculate_limits");

    public static TheoryData<string> OutlierCases => ReferenceCases.Ids("FunnelPlotR outliers_func");

    public static TheoryData<string> AggregateCases => ReferenceCases.Ids("FunnelPlotR aggregate_func");

    public static TheoryData<string> ShmiCases => ReferenceCases.Ids("FunnelPlotR funnel_plot (SR, sr_method=SHMI");

    public static TheoryData<string> CqcCases => ReferenceCases.Ids("FunnelPlotR funnel_plot (SR, sr_method=CQC");

    [Theory]
    [MemberData(nameof(LimitCases))]
    public void Unadjusted_ratio_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var e = c.Expected();
        var t = c.Tolerance();
        var ci95 = Overdispersion.UnadjustedRatioLimits(i.Number("expected"), i.Number("target"), Confidence.Warning).Scale(i.Number("multiplier"));
        var ci998 = Overdispersion.UnadjustedRatioLimits(i.Number("expected"), i.Number("target"), Confidence.Alarm).Scale(i.Number("multiplier"));
        ReferenceCases.AssertClose(e.Number("ll95"), ci95.Lower, t, "ll95");
        ReferenceCases.AssertClose(e.Number("ul95"), ci95.Upper, t, "ul95");
        ReferenceCases.AssertClose(e.Number("ll998"), ci998.Lower, t, "ll998");
        ReferenceCases.AssertClose(e.Number("ul998"), ci998.Upper, t, "ul998");
    }

    [Theory]
    [MemberData(nameof(AggregateCases))]
    public void Aggregation_sums_numerators_and_denominators_per_group_before_the_ratio(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var numerators = i.Numbers("numerator");
        var denominators = i.Numbers("denominator");
        var groups = i["group"]!.AsArray().Select(g => (string)g!).ToList();
        var ratios = groups.Select((g, k) => (g, k)).GroupBy(p => p.g, StringComparer.Ordinal)
            .Select(g => g.Sum(p => numerators[p.k]) / g.Sum(p => denominators[p.k])).ToList();
        var expected = c.Expected().Numbers("rr");
        Assert.Equal(expected.Length, ratios.Count);
        for (var k = 0; k < expected.Length; k++)
        {
            ReferenceCases.AssertClose(expected[k], ratios[k], c.Tolerance(), "rr " + groups.Distinct().ElementAt(k));
        }
    }

    [Theory]
    [MemberData(nameof(OutlierCases))]
    public void Outlier_flags_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var adjusted = (bool)i["draw_adjusted"]!;
        var level = (int)i.Number("limit");
        var prefix = (adjusted ? "OD" : string.Empty) + (level == 95 ? "95" : "99");
        var limits = new Interval(i.Number(adjusted ? prefix + "LCL" : "LCL" + prefix[^2..]), i.Number(adjusted ? prefix + "UCL" : "UCL" + prefix[^2..]));
        var flags = i.Numbers("rr").Select(rr => Overdispersion.IsOutlier(rr, i.Number("multiplier"), limits) ? 1.0 : 0.0).ToArray();
        Assert.Equal(c.Expected().Numbers("outlier"), flags);
    }

    [Theory]
    [MemberData(nameof(ShmiCases))]
    public void Shmi_overdispersion_matches_the_derived_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var e = c.Expected();
        var t = c.Tolerance();
        var estimate = Overdispersion.Shmi(i.Numbers("numerator"), i.Numbers("denominator"), trimBy: 0.1);
        var z = e.Numbers("z");
        for (var k = 0; k < z.Length; k++)
        {
            ReferenceCases.AssertClose(z[k], estimate.Z[k], PrintedTo6Places, "z");
        }

        Assert.Equal(e.Numbers("truncated"), estimate.Excluded.Select(x => x ? 1.0 : 0.0).ToArray());
        ReferenceCases.AssertClose(e.Number("phi"), estimate.Phi, t, "phi");
        ReferenceCases.AssertClose(e.Number("tau2"), estimate.Tau2, t, "tau2");
        AssertLimits(e.Numbers("od95_limits_E100"), Overdispersion.ShmiLimits(100, estimate.Tau2, Confidence.Warning), t);
        AssertLimits(e.Numbers("od998_limits_E100"), Overdispersion.ShmiLimits(100, estimate.Tau2, Confidence.Alarm), t);
    }

    [Theory]
    [MemberData(nameof(CqcCases))]
    public void Cqc_overdispersion_matches_the_derived_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var e = c.Expected();
        var t = c.Tolerance();
        var estimate = Overdispersion.Cqc(i.Numbers("numerator"), i.Numbers("denominator"), trimBy: 0.05);
        var z = e.Numbers("z");
        for (var k = 0; k < z.Length; k++)
        {
            ReferenceCases.AssertClose(z[k], estimate.Z[k], PrintedTo6Places, "z");
        }

        ReferenceCases.AssertClose(e.Number("winsor_low"), estimate.WinsorLow, t, "winsor_low");
        ReferenceCases.AssertClose(e.Number("winsor_high"), estimate.WinsorHigh, t, "winsor_high");
        ReferenceCases.AssertClose(e.Number("phi"), estimate.Phi, t, "phi");
        ReferenceCases.AssertClose(e.Number("tau2"), estimate.Tau2, t, "tau2");
        AssertLimits(e.Numbers("od95_limits_E100"), Overdispersion.CqcLimits(100, estimate.Tau2, Confidence.Warning, 100), t);
    }

    /// <summary>The derived z-scores are printed to 6 decimal places.</summary>
    private static readonly System.Text.Json.Nodes.JsonObject PrintedTo6Places = new() { ["absolute"] = 5e-7 };

    private static void AssertLimits(double[] expected, Interval actual, System.Text.Json.Nodes.JsonObject tolerance)
    {
        ReferenceCases.AssertClose(expected[0], actual.Lower, tolerance, "lower");
        ReferenceCases.AssertClose(expected[1], actual.Upper, tolerance, "upper");
    }
}
