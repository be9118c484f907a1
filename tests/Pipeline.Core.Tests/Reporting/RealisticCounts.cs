using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Synthetic;

namespace Pipeline.Core.Tests.Reporting;

/// <summary>
/// A realistic report from the real parts: the synthetic generator's submissions for every trust of an LMNS (real trust
/// sizes and ethnic/IMD mix, national baseline rates, binomial noise), with planted gaps — Black women booking late across
/// the LMNS, a Black stillbirth excess at one trust from a year before the period, poor ethnicity recording at another —
/// aggregated to broad groups, rolled up, run through the divergence engine and built into the report model.
/// </summary>
internal static class RealisticCounts
{
    public static readonly Period Start = new(2024, 11);

    public const int Months = 24;

    public static Period Latest => Start.AddMonths(Months - 1);

    public static IReadOnlyList<GroupCount> Generate(ReferenceData reference, string lmnsCode)
    {
        var trusts = reference.TrustsInLmns(lmnsCode, Latest).Order(StringComparer.Ordinal).ToList();
        var largest = trusts.MaxBy(t => reference.FindTrust(t)?.Deliveries2022To23 ?? 0)!;
        var poorRecorder = trusts.First(t => t != largest);
        var scenario = new SyntheticScenario
        {
            Seed = 2026,
            Start = Start,
            Months = Months,
            TrustCodes = trusts,
            Divergences =
            [
                new PlantedDivergence(Level.Lmns, lmnsCode, "booking_by_10_weeks", ComparisonBreakdown.EthnicGroup, BroadGroups.Black, 1.7, Start),
                new PlantedDivergence(Level.Organisation, largest, "stillbirth", ComparisonBreakdown.EthnicGroup, BroadGroups.Black, 3.5, Latest.AddMonths(-11)),
            ],
            PoorEthnicityRecording = [new PoorEthnicityRecording(poorRecorder, 0.18)],
        };
        // The last trust has not submitted for the latest month (the report shows it missing).
        var submissions = new SubmissionGenerator(reference).Generate(scenario)
            .Where(s => !(s.OrganisationCode == trusts[^1] && s.ReportingPeriod == Latest));
        var trustCounts = submissions.SelectMany(s => BroadGroupAggregation.FromSubmission(s, reference)).ToList();
        return OrganisationRollup.WithRollUps(trustCounts, reference);
    }

    /// <summary>The real pipeline from generated submissions to a report: the engine at the latest month, then the builder.</summary>
    public static (EquityReportModel Model, DetectionResult Detection, CountStore Store) Report(ReferenceData reference, string lmnsCode)
    {
        var store = CountStore.From(Generate(reference, lmnsCode));
        var detection = new DivergenceEngine(reference).EvaluateAll(store, Latest);
        var deadline = new DateTimeOffset(Latest.AddMonths(1).FirstDay.AddDays(14).ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
        var trusts = reference.TrustsInLmns(lmnsCode, Latest).Order(StringComparer.Ordinal).ToList();

        // The last trust has not submitted (see Generate); the first was a day late; the rest were on time.
        var accepted = trusts.SkipLast(1).Select((t, i) => (Trust: t, At: deadline.AddDays(i == 0 ? 1 : -2 - i))).ToDictionary(x => x.Trust, x => x.At);
        var statuses = EquityReportBuilder.SubmissionStatuses(reference, lmnsCode, Latest, accepted, deadline);
        var sources = ReportSources.FromDetection(lmnsCode, Latest, deadline.AddDays(5), detection, statuses, store);
        return (EquityReportBuilder.Build(sources, reference), detection, store);
    }
}
