using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Tests.Detection;

public class AggregationAndScopeTests
{
    private readonly ReferenceData _reference = ReferenceData.Embedded;

    [Fact]
    public void Ethnic_categories_sum_into_broad_groups_and_deciles_into_quintiles_with_unknowns_kept_apart()
    {
        Measure[] measures =
        [
            new("stillbirth", Breakdown.Total, "all", 4, 1000),
            new("stillbirth", Breakdown.EthnicCategory, "A", 1, 500),
            new("stillbirth", Breakdown.EthnicCategory, "C", 1, 200),
            new("stillbirth", Breakdown.EthnicCategory, "N", 1, 150),
            new("stillbirth", Breakdown.EthnicCategory, "R", 0, 50),
            new("stillbirth", Breakdown.EthnicCategory, "Z", 1, 60),
            new("stillbirth", Breakdown.EthnicCategory, "99", 0, 40),
            new("stillbirth", Breakdown.ImdDecile, "1", 2, 300),
            new("stillbirth", Breakdown.ImdDecile, "2", 1, 200),
            new("stillbirth", Breakdown.ImdDecile, "10", 0, 450),
            new("stillbirth", Breakdown.ImdDecile, "U", 1, 50),
        ];

        var rows = BroadGroupAggregation.FromMeasures("R0A", new Period(2025, 4), measures, _reference);

        (long, long) Get(ComparisonBreakdown b, string g) => rows.Where(r => r.Breakdown == b && r.GroupCode == g).Select(r => (r.Numerator, r.Denominator)).Single();
        Assert.Equal((2L, 700L), Get(ComparisonBreakdown.EthnicGroup, "White"));
        Assert.Equal((1L, 150L), Get(ComparisonBreakdown.EthnicGroup, "Black"));
        Assert.Equal((0L, 50L), Get(ComparisonBreakdown.EthnicGroup, "Other"));
        Assert.Equal((1L, 100L), Get(ComparisonBreakdown.EthnicGroup, "Unknown"));
        Assert.Equal((3L, 500L), Get(ComparisonBreakdown.ImdQuintile, "1"));
        Assert.Equal((0L, 450L), Get(ComparisonBreakdown.ImdQuintile, "5"));
        Assert.Equal((1L, 50L), Get(ComparisonBreakdown.ImdQuintile, "U"));
        Assert.All(rows, r => Assert.Equal(Level.Organisation, r.Level));
        Assert.Equal(1000, rows.Where(r => r.Breakdown == ComparisonBreakdown.EthnicGroup).Sum(r => r.Denominator));
    }

    [Fact]
    public void A_trust_counts_towards_the_lmns_it_belonged_to_in_each_month()
    {
        // RGR moved from QJG to T6Y0W on 2026-04-01.
        GroupCount Row(Period p) => new(p, Level.Organisation, "RGR", "stillbirth", ComparisonBreakdown.EthnicGroup, "White", 1, 100);

        var rolled = OrganisationRollup.RollUp([Row(new Period(2026, 3)), Row(new Period(2026, 4))], _reference);

        Assert.Contains(rolled, r => r is { Level: Level.Lmns, OrganisationCode: "QJG", Period: { Year: 2026, Month: 3 } });
        Assert.Contains(rolled, r => r is { Level: Level.Lmns, OrganisationCode: "T6Y0W", Period: { Year: 2026, Month: 4 } });
        Assert.DoesNotContain(rolled, r => r is { Level: Level.Lmns, OrganisationCode: "QJG", Period: { Year: 2026, Month: 4 } });
        Assert.Equal(2, rolled.Count(r => r is { Level: Level.Region, OrganisationCode: "Y61" }));
    }

    [Fact]
    public void Lmns_rows_are_the_sums_of_their_trusts()
    {
        var period = new Period(2025, 1);
        var trusts = _reference.TrustsInLmns("QOP", period).ToList();
        var rows = trusts.Select((t, i) => new GroupCount(period, Level.Organisation, t, "stillbirth", ComparisonBreakdown.ImdQuintile, "1", i, 100 + i)).ToList();

        var lmns = OrganisationRollup.RollUp(rows, _reference).Single(r => r.Level == Level.Lmns);

        Assert.Equal("QOP", lmns.OrganisationCode);
        Assert.Equal(rows.Sum(r => r.Numerator), lmns.Numerator);
        Assert.Equal(rows.Sum(r => r.Denominator), lmns.Denominator);
    }

    [Fact]
    public void A_changed_trust_month_recomputes_its_trust_lmns_and_region_for_every_window_containing_it()
    {
        var keys = RecomputeScope.Affected(_reference, "R0A", new Period(2025, 3), latest: new Period(2026, 12));

        Assert.Equal(12 * 3, keys.Count);
        Assert.Equal(new Period(2025, 3), keys.Min(k => k.PeriodEnd));
        Assert.Equal(new Period(2026, 2), keys.Max(k => k.PeriodEnd));
        Assert.Contains(new WindowKey(Level.Lmns, "QOP", new Period(2025, 8)), keys);
        Assert.Contains(new WindowKey(Level.Region, _reference.RegionOf("R0A", new Period(2025, 3))!, new Period(2026, 2)), keys);
    }

    [Fact]
    public void The_latest_month_recomputes_only_its_own_windows_and_a_baseline_month_everything_after_it()
    {
        var latest = new Period(2026, 6);
        Assert.Equal(3, RecomputeScope.Affected(_reference, "R0A", latest, latest).Count);

        var inBaseline = RecomputeScope.Affected(_reference, "R0A", new Period(2024, 2), latest, seriesStart: new Period(2024, 1));
        Assert.Equal(latest, inBaseline.Max(k => k.PeriodEnd));
    }

    [Fact]
    public void Levels_and_breakdowns_round_trip_through_their_store_strings()
    {
        foreach (var level in Enum.GetValues<Level>())
        {
            Assert.True(DetectionNames.TryParseLevel(level.ToWire(), out var parsed));
            Assert.Equal(level, parsed);
        }

        foreach (var breakdown in Enum.GetValues<ComparisonBreakdown>())
        {
            Assert.True(DetectionNames.TryParseBreakdown(breakdown.ToWire(), out var parsed));
            Assert.Equal(breakdown, parsed);
        }

        Assert.Equal(["organisation", "lmns", "region"], Enum.GetValues<Level>().Select(l => l.ToWire()));
        Assert.Equal("ethnic_group", ComparisonBreakdown.EthnicGroup.ToWire());
        Assert.False(DetectionNames.TryParseLevel("trust", out _));
    }

    [Fact]
    public void Evaluating_the_affected_windows_gives_the_same_rows_as_evaluating_everything()
    {
        var rows = new List<GroupCount>();
        for (var m = 0; m < 14; m++)
        {
            var p = new Period(2025, 1).AddMonths(m);
            rows.Add(new GroupCount(p, Level.Organisation, "R0A", "stillbirth", ComparisonBreakdown.EthnicGroup, "White", 3, 1000));
            rows.Add(new GroupCount(p, Level.Organisation, "R0A", "stillbirth", ComparisonBreakdown.EthnicGroup, "Black", 2 + (m % 3), 250));
        }

        var store = CountStore.From(OrganisationRollup.WithRollUps(rows, _reference));
        var engine = new DivergenceEngine(_reference);
        var latest = new Period(2026, 2);
        var scoped = engine.Evaluate(store, RecomputeScope.Affected(_reference, "R0A", latest, latest));
        var everything = engine.EvaluateAll(store, latest);

        Assert.Equal(everything.Comparisons.OrderBy(c => c.Level).ThenBy(c => c.GroupCode), scoped.Comparisons.OrderBy(c => c.Level).ThenBy(c => c.GroupCode));
        Assert.Contains(scoped.Comparisons, c => c.Level == Level.Region);
    }
}
