using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>PHE indirectly standardised ratio and directly standardised rate (Dobson) cases.</summary>
public class StandardisedRateReferenceTests
{
    public static TheoryData<string> IndirectCases => ReferenceCases.Ids("calculate_ISRatio");

    public static TheoryData<string> DirectCases => ReferenceCases.Ids("calculate_dsr");

    [Theory]
    [MemberData(nameof(IndirectCases))]
    public void Indirectly_standardised_ratio_matches_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var value = StandardisedRates.IndirectRatio(i.Number("observed"), i.Number("expected"), i.Number("refvalue"))!;
        ReferenceCases.AssertIndicatorValue(c, value);
    }

    [Theory]
    [MemberData(nameof(DirectCases))]
    public void Directly_standardised_rate_matches_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var i = c.Inputs();
        var counts = i["count"]!.AsArray().Select(n => n is null ? 0.0 : (double)n).ToList(); // missing counts are 0 (PHE)
        var value = StandardisedRates.DirectRate(counts, i.Numbers("pop"), i.Numbers("stdpop_esp2013"), i.Number("multiplier"));
        Assert.Equal(c.Expected().Number("total_count"), counts.Sum());
        if (c.Expected().OptionalNumber("value") is null)
        {
            Assert.Null(value);
            return;
        }

        ReferenceCases.AssertIndicatorValue(c, value!);
    }
}
