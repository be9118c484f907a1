using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Synthetic;

namespace Pipeline.Core.Tests.Synthetic;

public class SubmissionGeneratorTests
{
    private static readonly ReferenceData Reference = ReferenceData.Embedded;
    private static readonly Period Start = new(2024, 4);
    private static readonly string[] Manchester = [.. Reference.TrustsInLmns("QOP", Start)];

    private static SyntheticScenario Scenario(ulong seed = 7) => new()
    {
        Seed = seed,
        Start = Start,
        Months = 12,
        TrustCodes = Manchester,
        IndicatorCodes = ["booking_by_10_weeks", "stillbirth", "caesarean"],
    };

    [Fact]
    public void The_same_seed_gives_the_same_submissions_and_another_seed_different_ones()
    {
        var generator = new SubmissionGenerator(Reference);
        var first = generator.Generate(Scenario()).SelectMany(s => s.Measures).ToList();
        var again = generator.Generate(Scenario()).SelectMany(s => s.Measures).ToList();
        var other = generator.Generate(Scenario(seed: 8)).SelectMany(s => s.Measures).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Every_submission_meets_the_contract_groups_sum_to_totals_with_one_imd_breakdown_and_known_codes()
    {
        var submissions = new SubmissionGenerator(Reference).Generate(Scenario()).ToList();

        Assert.Equal(Manchester.Length * 12, submissions.Count);
        foreach (var submission in submissions)
        {
            Assert.True(Reference.IsTrustActive(submission.OrganisationCode, submission.ReportingPeriod));
            foreach (var indicator in submission.Measures.GroupBy(m => m.IndicatorCode))
            {
                var total = Assert.Single(indicator, m => m.Breakdown == Breakdown.Total);
                Assert.Equal("all", total.GroupCode);
                var imdBreakdowns = indicator.Select(m => m.Breakdown).Where(b => b is Breakdown.ImdDecile or Breakdown.ImdQuintile).Distinct().ToList();
                Assert.Single(imdBreakdowns);
                foreach (var breakdown in indicator.Where(m => m.Breakdown != Breakdown.Total).GroupBy(m => m.Breakdown))
                {
                    Assert.Equal(total.Numerator, breakdown.Sum(m => m.Numerator));
                    Assert.Equal(total.Denominator, breakdown.Sum(m => m.Denominator));
                    Assert.Equal(breakdown.Count(), breakdown.Select(m => m.GroupCode).Distinct().Count());
                }

                Assert.All(indicator, m => Assert.InRange(m.Numerator, 0, m.Denominator));
                Assert.All(indicator.Where(m => m.Breakdown == Breakdown.EthnicCategory), m => Assert.NotNull(Reference.FindEthnicCategory(m.GroupCode)));
            }
        }

        // Unknown ethnicity at a small share: the 5% + 3% caps on Z and 99, so under the 10% gate over a year.
        foreach (var trust in submissions.GroupBy(s => s.OrganisationCode))
        {
            var measures = trust.SelectMany(s => s.Measures).ToList();
            var unknown = measures.Where(m => m.GroupCode is "Z" or "99").Sum(m => m.Denominator);
            var total = measures.Where(m => m.Breakdown == Breakdown.Total).Sum(m => m.Denominator);
            Assert.True(unknown <= 0.09 * total, $"{trust.Key}: {unknown} of {total} unknown");
        }

        Assert.Contains(submissions.SelectMany(s => s.Measures), m => m.Breakdown == Breakdown.ImdDecile);
    }

    [Fact]
    public async Task Generated_submissions_pass_the_real_validator_and_read_back_unchanged()
    {
        var scenario = Scenario() with { Months = 2, IndicatorCodes = null };

        foreach (var submission in new SubmissionGenerator(Reference).Generate(scenario))
        {
            var json = await Fixtures.Submissions.JsonAsync(submission);
            var drop = new DropPath(submission.OrganisationCode, submission.ReportingPeriod.ToString(), "equity.json");
            var result = await Fixtures.Submissions.ValidateAsync("equity.json", json, drop);

            Assert.True(result.Report.ErrorCount == 0, $"{drop}: {string.Join("; ", result.Report.Groups.Select(g => g.Code + " " + g.Title))}");
            Assert.Equal(submission.Measures, result.Submission!.Measures);
        }
    }

    [Fact]
    public void A_planted_lmns_divergence_shows_at_its_ratio_and_nowhere_else()
    {
        var scenario = Scenario() with
        {
            Divergences = [new PlantedDivergence(Level.Lmns, "QOP", "booking_by_10_weeks", ComparisonBreakdown.EthnicGroup, "Asian", 2.0, Start)],
        };
        var rows = new SubmissionGenerator(Reference).Generate(scenario).SelectMany(s => BroadGroupAggregation.FromSubmission(s, Reference)).ToList();

        double Rate(string indicator, string group)
        {
            var g = rows.Where(r => r.IndicatorCode == indicator && r.GroupCode == group).ToList();
            return (double)g.Sum(r => r.Numerator) / g.Sum(r => r.Denominator);
        }

        Assert.InRange(Rate("booking_by_10_weeks", "Asian") / Rate("booking_by_10_weeks", "White"), 0.45, 0.55);
        Assert.InRange(Rate("booking_by_10_weeks", "White"), 0.59, 0.64);
        Assert.InRange(Rate("caesarean", "Asian") / Rate("caesarean", "White"), 0.9, 1.1);
    }

    [Fact]
    public void A_trust_with_poor_ethnicity_recording_is_gated_by_the_engine()
    {
        var trust = Manchester[0];
        var scenario = Scenario() with { PoorEthnicityRecording = [new PoorEthnicityRecording(trust, 0.25)] };
        var rows = new SubmissionGenerator(Reference).Generate(scenario).SelectMany(s => BroadGroupAggregation.FromSubmission(s, Reference)).ToList();

        var store = CountStore.From(rows);
        var result = new DivergenceEngine(Reference).EvaluateAll(store, Start.AddMonths(11));

        var finding = Assert.Single(result.DataQuality, f => f.OrganisationCode == trust && f.IndicatorCode == "stillbirth");
        Assert.InRange(finding.UnknownShare, 0.22, 0.28);
        Assert.DoesNotContain(result.DataQuality, f => f.OrganisationCode != trust);
    }
}
