using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Tests.Reference;

public class ReferenceDataTests
{
    private readonly ReferenceData _reference = ReferenceData.Embedded;

    [Fact]
    public void Catalogue_has_the_eighteen_contract_indicators_with_their_polarity()
    {
        Assert.Equal(18, _reference.Indicators.Count);
        Assert.Equal(Polarity.HigherIsWorse, _reference.FindIndicator("stillbirth")!.Polarity);
        Assert.Equal(1000, _reference.FindIndicator("stillbirth")!.Multiplier);
        Assert.Equal(Polarity.HigherIsBetter, _reference.FindIndicator("booking_by_10_weeks")!.Polarity);
        Assert.Equal(Polarity.Neutral, _reference.FindIndicator("caesarean")!.Polarity);
    }

    [Fact]
    public void Ethnic_codes_map_to_broad_groups_and_unknowns_are_not_known()
    {
        Assert.Equal("Black", _reference.FindEthnicCategory("N")!.BroadGroup);
        Assert.Equal("White", _reference.FindEthnicCategory("A")!.BroadGroup);
        Assert.False(_reference.FindEthnicCategory("Z")!.IsKnown);
        Assert.False(_reference.FindEthnicCategory("99")!.IsKnown);
        Assert.Null(_reference.FindEthnicCategory("I"));
    }

    [Fact]
    public void Deciles_one_and_two_are_the_most_deprived_quintile()
    {
        Assert.Equal(1, _reference.FindDecile(2)!.Quintile);
        Assert.Equal(5, _reference.FindDecile(10)!.Quintile);
    }

    [Fact]
    public void Trust_moves_lmns_when_its_icb_merged_in_april_2026()
    {
        Assert.Equal("QJG", _reference.LmnsOf("RGR", new Period(2026, 3)));
        Assert.Equal("T6Y0W", _reference.LmnsOf("RGR", new Period(2026, 4)));
        Assert.Equal("Y61", _reference.RegionOf("RGR", new Period(2026, 4)));
    }

    [Fact]
    public void Closed_trust_is_not_expected_after_its_close_date()
    {
        Assert.True(_reference.IsTrustActive("RA4", new Period(2023, 3)));
        Assert.False(_reference.IsTrustActive("RA4", new Period(2023, 4)));
        Assert.DoesNotContain(_reference.TrustsActiveIn(new Period(2023, 4)), t => t.Code == "RA4");
    }
}
