using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>Risk ratio (Katz) and rate ratio (log method) cases.</summary>
public class RatioReferenceTests
{
    public static TheoryData<string> RiskRatioCases => ReferenceCases.Ids("risk_ratio_ci");

    public static TheoryData<string> RateRatioCases => ReferenceCases.Ids("rate_ratio_ci");

    [Theory]
    [MemberData(nameof(RiskRatioCases))]
    public void Katz_risk_ratio_and_limits_match_the_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var rr = RiskRatio.Compute(i.Number("events_a"), i.Number("n_a"), i.Number("events_b"), i.Number("n_b"))!;
        var e = c.Expected();
        var t = c.Tolerance();
        ReferenceCases.AssertClose(e.Number("rr"), rr.Ratio, t, "rr");
        ReferenceCases.AssertClose(e.Number("se_log_rr"), rr.StandardErrorOfLog, t, "se");
        ReferenceCases.AssertClose(e.Number("lower95"), rr.Ci95.Lower, t, "lower95");
        ReferenceCases.AssertClose(e.Number("upper95"), rr.Ci95.Upper, t, "upper95");
        ReferenceCases.AssertClose(e.Number("lower99_8"), rr.Ci998.Lower, t, "lower99_8");
        ReferenceCases.AssertClose(e.Number("upper99_8"), rr.Ci998.Upper, t, "upper99_8");
        Assert.False(rr.Corrected);
    }

    [Theory]
    [MemberData(nameof(RateRatioCases))]
    public void Log_method_rate_ratio_limits_match_the_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var e = c.Expected();
        var t = c.Tolerance();
        if (i.OptionalNumber("rate_ratio") is { } givenRatio)
        {
            // The worked example states the ratio and the two event counts only (exposures are not published).
            var se = RateRatio.StandardErrorOfLogFor(i.Number("events_numerator_group"), i.Number("events_reference_group"));
            var interval = RiskRatio.LogInterval(givenRatio, se, i.Number("confidence"));
            ReferenceCases.AssertClose(e.Number("lower"), interval.Lower, t, "lower");
            ReferenceCases.AssertClose(e.Number("upper"), interval.Upper, t, "upper");
            return;
        }

        var irr = RateRatio.Compute(i.Number("events_1"), i.Number("exposure_1"), i.Number("events_2"), i.Number("exposure_2"))!;
        ReferenceCases.AssertClose(e.Number("irr"), irr.Ratio, t, "irr");
        ReferenceCases.AssertClose(e.Number("se_log_irr"), irr.StandardErrorOfLog, t, "se");
        ReferenceCases.AssertClose(e.Number("lower95"), irr.Ci95.Lower, t, "lower95");
        ReferenceCases.AssertClose(e.Number("upper95"), irr.Ci95.Upper, t, "upper95");
        ReferenceCases.AssertClose(e.Number("lower99_8"), irr.Ci998.Lower, t, "lower99_8");
        ReferenceCases.AssertClose(e.Number("upper99_8"), irr.Ci998.Upper, t, "upper99_8");
    }
}
