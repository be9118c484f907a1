using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>Wilson, Byar's, exact Poisson, PHE proportion and rate: every published case reproduced within its tolerance.</summary>
public class ProportionAndCountReferenceTests
{
    public static TheoryData<string> WilsonCases => ReferenceCases.Ids("wilson_proportion_ci");

    public static TheoryData<string> ByarsCases => ReferenceCases.Ids("byars_count_ci");

    public static TheoryData<string> ProportionCases => ReferenceCases.Ids("phe_proportion");

    public static TheoryData<string> RateCases => ReferenceCases.Ids("phe_rate");

    public static TheoryData<string> MeanCases => ReferenceCases.Ids("phe_mean");

    [Theory]
    [MemberData(nameof(WilsonCases))]
    public void Wilson_score_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var inputs = c.Inputs();
        var interval = WilsonScore.Interval(inputs.Number("x"), inputs.Number("n"), inputs.Number("confidence"))!.Value;
        ReferenceCases.AssertClose(c.Expected().Number("lower"), interval.Lower, c.Tolerance(), "lower");
        ReferenceCases.AssertClose(c.Expected().Number("upper"), interval.Upper, c.Tolerance(), "upper");
    }

    [Theory]
    [MemberData(nameof(ByarsCases))]
    public void Byars_count_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var (lower, upper) = PoissonLimits.Byars(c.Inputs().Number("x"), c.Inputs().Number("confidence"));
        var expectedLower = c.Expected().OptionalNumber("lower");
        if (expectedLower is null)
        {
            Assert.Null(lower);
        }
        else
        {
            ReferenceCases.AssertClose(expectedLower.Value, lower!.Value, c.Tolerance(), "lower");
        }

        ReferenceCases.AssertClose(c.Expected().Number("upper"), upper, c.Tolerance(), "upper");
    }

    [Theory]
    [MemberData(nameof(ProportionCases))]
    public void Proportion_value_and_wilson_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var inputs = c.Inputs();
        var value = IndicatorValue.Proportion(inputs.Number("numerator"), inputs.Number("denominator"), inputs.Number("multiplier"))!;
        ReferenceCases.AssertIndicatorValue(c, value);
    }

    [Theory]
    [MemberData(nameof(RateCases))]
    public void Rate_value_and_exact_or_byars_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var inputs = c.Inputs();
        var value = IndicatorValue.Rate(inputs.Number("numerator"), inputs.Number("denominator"), inputs.Number("multiplier"))!;
        ReferenceCases.AssertIndicatorValue(c, value);
    }

    [Theory]
    [MemberData(nameof(MeanCases))]
    public void Mean_and_t_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var mean = MeanWithLimits.Compute(c.Inputs().Numbers("values"))!;
        var e = c.Expected();
        var t = c.Tolerance();
        ReferenceCases.AssertClose(e.Number("value"), mean.Value, t, "value");
        Assert.Equal((int)e.Number("n"), mean.Count);
        ReferenceCases.AssertClose(e.Number("stdev"), mean.StandardDeviation, t, "stdev");
        ReferenceCases.AssertClose(e.Number("lower95"), mean.Ci95.Lower, t, "lower95");
        ReferenceCases.AssertClose(e.Number("upper95"), mean.Ci95.Upper, t, "upper95");
        ReferenceCases.AssertClose(e.Number("lower99_8"), mean.Ci998.Lower, t, "lower99_8");
        ReferenceCases.AssertClose(e.Number("upper99_8"), mean.Ci998.Upper, t, "upper99_8");
    }
}
