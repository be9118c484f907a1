using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Reporting;

/// <summary>
/// Seeded monthly broad-group counts for every trust of an LMNS, sized from the trusts' real 2022-23 deliveries, with
/// national-looking baseline rates, a deprivation gradient, and planted gaps: Black women booking late everywhere, a
/// Black stillbirth excess at the largest trust, and poor IMD recording at one trust. Enough to draw every part of the
/// report from the real engine.
/// </summary>
internal static class RealisticCounts
{
    public static readonly Period Start = new(2024, 11);

    public const int Months = 24;

    public static Period Latest => Start.AddMonths(Months - 1);

    private static readonly (string Group, double Share, double Risk)[] Ethnic =
        [("White", 0.62, 1.0), ("Mixed", 0.05, 1.05), ("Asian", 0.17, 1.08), ("Black", 0.08, 1.1), ("Other", 0.04, 1.0), ("Unknown", 0.04, 1.0)];

    private static readonly (string Group, double Share, double Risk)[] Imd =
        [("1", 0.30, 1.18), ("2", 0.22, 1.1), ("3", 0.18, 1.05), ("4", 0.15, 1.02), ("5", 0.13, 1.0), ("U", 0.02, 1.0)];

    /// <summary>Indicator, baseline rate, and whether a higher "risk" multiplier lowers the rate (higher is better).</summary>
    private static readonly (string Code, double Rate, bool Inverse)[] Indicators =
    [
        ("stillbirth", 0.0040, false), ("preterm_birth", 0.075, false), ("smoking_at_delivery", 0.085, false),
        ("booking_by_10_weeks", 0.62, true), ("breastmilk_first_feed", 0.72, true), ("caesarean", 0.38, false),
    ];

    public static IReadOnlyList<GroupCount> Generate(ReferenceData reference, string lmnsCode, ulong seed = 42)
    {
        var rows = new List<GroupCount>();
        var trusts = reference.TrustsInLmns(lmnsCode, Latest).Order(StringComparer.Ordinal).ToList();
        var largest = trusts.MaxBy(t => reference.FindTrust(t)?.Deliveries2022To23 ?? 0)!;
        var poorImd = trusts.Where(t => t != largest).Order(StringComparer.Ordinal).First();
        foreach (var trust in trusts)
        {
            var births = (reference.FindTrust(trust)?.Deliveries2022To23 ?? 3000) / 12.0;
            for (var m = 0; m < Months; m++)
            {
                var period = Start.AddMonths(m);
                foreach (var (code, rate, inverse) in Indicators)
                {
                    var random = new SeededRandom(SeededRandom.Derive(seed, $"{trust}|{period}|{code}"));
                    double Planted(string group) =>
                        code == "booking_by_10_weeks" && group == "Black" ? 1.7
                        : code == "stillbirth" && group == "Black" && trust == largest && m >= 12 ? 2.8
                        : 1.0;
                    Add(rows, random, period, trust, code, ComparisonBreakdown.EthnicGroup, births, rate, inverse,
                        [.. Ethnic.Select(e => (e.Group, e.Share, e.Risk * Planted(e.Group)))]);
                    var imd = trust == poorImd
                        ? Imd.Select(q => q.Group == "U" ? (q.Group, 0.16, q.Risk) : (q.Group, q.Share * 0.86, q.Risk))
                        : Imd.Select(q => (q.Group, q.Share, q.Risk));
                    Add(rows, random, period, trust, code, ComparisonBreakdown.ImdQuintile, births, rate, inverse, [.. imd]);
                }
            }
        }

        return rows;
    }

    /// <summary>The real pipeline from these counts to a report: roll-ups, the engine at the latest month, the builder.</summary>
    public static (EquityReportModel Model, DetectionResult Detection, CountStore Store) Report(ReferenceData reference, string lmnsCode)
    {
        var store = CountStore.From(OrganisationRollup.WithRollUps(Generate(reference, lmnsCode), reference));
        var detection = new DivergenceEngine(reference).EvaluateAll(store, Latest);
        var deadline = new DateTimeOffset(Latest.AddMonths(1).LastDay.AddDays(-15).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var trusts = reference.TrustsInLmns(lmnsCode, Latest).Order(StringComparer.Ordinal).ToList();
        var accepted = trusts.Skip(1).Select((t, i) => (t, deadline.AddDays(i == 0 ? 2 : -3 - i))).ToDictionary(x => x.t, x => x.Item2);
        var statuses = EquityReportBuilder.SubmissionStatuses(reference, lmnsCode, Latest, accepted, deadline);
        var sources = ReportSources.FromDetection(lmnsCode, Latest, deadline.AddDays(5), detection, statuses, store);
        return (EquityReportBuilder.Build(sources, reference), detection, store);
    }

    private static void Add(
        List<GroupCount> rows, SeededRandom random, Period period, string trust, string indicator, ComparisonBreakdown breakdown,
        double births, double rate, bool inverse, (string Group, double Share, double Risk)[] groups)
    {
        foreach (var (group, share, risk) in groups)
        {
            var denominator = Binomial(random, (long)Math.Round(births), share);
            var p = Math.Clamp(inverse ? rate / risk : rate * risk, 0, 0.98);
            rows.Add(new GroupCount(period, Level.Organisation, trust, indicator, breakdown, group, Binomial(random, denominator, p), denominator));
        }
    }

    /// <summary>Exact Bernoulli sum for small n·p, normal approximation (rounded, clamped) otherwise.</summary>
    private static long Binomial(SeededRandom random, long n, double p)
    {
        var mean = n * p;
        if (mean < 30 || n * (1 - p) < 30)
        {
            long k = 0;
            for (var i = 0; i < n; i++)
            {
                k += random.NextDouble() < p ? 1 : 0;
            }

            return k;
        }

        return Math.Clamp((long)Math.Round(mean + (random.NextNormal() * Math.Sqrt(mean * (1 - p)))), 0, n);
    }
}
