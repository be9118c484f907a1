using System.Globalization;
using System.Text.Json;
using CsCheck;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Reading;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Tests.Validation;

/// <summary>
/// The whole-file rules were rewritten as one pass with running sums (they ran once per file over every row, with LINQ
/// grouping); the LINQ form is kept here as the reference, and random row sets (duplicates, missing totals, both IMD
/// breakdowns, sums off by one, unknown groups, tainted indicators) must give the same issues in the same order.
/// </summary>
public class SubmissionRulesEquivalenceProperties
{
    private static readonly string[] Indicators = ["stillbirth", "caesarean", "preterm_birth"];
    private static readonly string[][] GroupsOf = [["all"], ["A", "B", "Z", "99"], ["1", "2", "U"], ["1", "2", "U"]];

    /// <summary>Rows that add up (each indicator's total split over its breakdowns' groups), then a few of them disturbed.</summary>
    private static readonly Gen<List<Measure>> Rows =
        Gen.Select(Gen.Int[1, 3], Gen.Int[0, 7], Gen.Int[0, 1_000_000], Gen.Int[0, 3])
            .Select(x => Build(x.Item1, x.Item2, new Random(x.Item3), x.Item4));

    [Fact]
    public void One_pass_rules_report_exactly_what_the_grouped_rules_reported()
    {
        var (warnings, errors) = (0, 0);
        Gen.Select(Rows, Gen.Int[0, 7]).Sample(f =>
        {
            var (measures, taint) = f;
            var rows = measures.Select((m, i) => new CheckedMeasure(m, new Line(i + 2))).ToList();
            var tainted = Indicators.Where((_, i) => (taint & (1 << i)) != 0 && taint < 4).ToHashSet(StringComparer.Ordinal);
            var fast = new IssueCollector(50);
            var grouped = new IssueCollector(50);

            SubmissionRules.Check(rows, tainted, fast);
            GroupedRules.Check(rows, tainted, grouped);

            (warnings, errors) = (warnings + grouped.WarningCount, errors + grouped.ErrorCount);
            return JsonSerializer.Serialize(fast.Groups()) == JsonSerializer.Serialize(grouped.Groups());
        }, iter: 5_000, threads: 1);

        // Not vacuous: both kinds of outcome were compared many times.
        Assert.True(warnings > 500 && errors > 500, $"{warnings} warnings, {errors} errors");
    }

    private static List<Measure> Build(int indicators, int breakdowns, Random random, int disturbances)
    {
        var rows = new List<Measure>();
        foreach (var indicator in Indicators.Take(indicators))
        {
            var denominator = random.Next(0, 200);
            var numerator = random.Next(0, denominator + 1);
            rows.Add(new Measure(indicator, Breakdown.Total, "all", numerator, denominator));
            for (var b = 1; b <= 3; b++)
            {
                if ((breakdowns & (1 << (b - 1))) == 0)
                {
                    continue;
                }

                var groups = GroupsOf[b].Where(_ => random.Next(3) > 0).DefaultIfEmpty(GroupsOf[b][0]).ToList();
                var (n, d) = ((long)numerator, (long)denominator);
                for (var g = 0; g < groups.Count; g++)
                {
                    var last = g == groups.Count - 1;
                    var dg = last ? d : random.NextInt64(0, d + 1);
                    var ng = last ? n : Math.Min(dg, random.NextInt64(0, n + 1));
                    rows.Add(new Measure(indicator, (Breakdown)b, groups[g], ng, dg));
                    (n, d) = (n - ng, d - dg);
                }
            }
        }

        for (var i = 0; i < disturbances && rows.Count > 0; i++)
        {
            var at = random.Next(rows.Count);
            switch (random.Next(4))
            {
                case 0:
                    rows.RemoveAt(at);
                    break;
                case 1:
                    rows[at] = rows[at] with { Denominator = rows[at].Denominator + 1 };
                    break;
                case 2:
                    rows.Insert(random.Next(rows.Count), rows[at]);
                    break;
                default:
                    rows[at] = rows[at] with { Breakdown = (Breakdown)random.Next(4) };
                    break;
            }
        }

        return rows;
    }

    private sealed class Line(long line) : IRecordLocator
    {
        public IssueLocation Record => new(Line: line);

        public IssueLocation Field(string field) => new(Line: line, Column: field);
    }

    /// <summary>The rules as they were written before (#18), unchanged.</summary>
    private static class GroupedRules
    {
        public static void Check(IReadOnlyList<CheckedMeasure> rows, IReadOnlySet<string> tainted, IssueCollector issues)
        {
            var skip = new HashSet<string>(tainted, StringComparer.Ordinal);
            var first = new Dictionary<(string, Breakdown, string), CheckedMeasure>();
            foreach (var row in rows)
            {
                var key = (row.Measure.IndicatorCode, row.Measure.Breakdown, row.Measure.GroupCode);
                if (first.TryGetValue(key, out var earlier))
                {
                    skip.Add(row.Measure.IndicatorCode);
                    issues.Add(ErrorCatalogue.DuplicateRow, row.Location, null, row.Key,
                        Args.Of("key", row.Key), Args.Of("first", IssueLocationText.Describe(earlier.Location)));
                }
                else
                {
                    first[key] = row;
                }
            }

            foreach (var indicator in rows.GroupBy(r => r.Measure.IndicatorCode, StringComparer.Ordinal).Where(g => !skip.Contains(g.Key)))
            {
                CheckIndicator(indicator.Key, [.. indicator], issues);
            }
        }

        private static void CheckIndicator(string indicator, List<CheckedMeasure> rows, IssueCollector issues)
        {
            var total = rows.FirstOrDefault(r => r.Measure.Breakdown == Breakdown.Total);
            if (total is null)
            {
                issues.Add(ErrorCatalogue.MissingTotal, rows[0].Location, null, indicator, Args.Of("indicator", indicator));
                return;
            }

            var byBreakdown = rows.Where(r => r.Measure.Breakdown != Breakdown.Total).GroupBy(r => r.Measure.Breakdown).ToList();
            if (byBreakdown.Any(b => b.Key == Breakdown.ImdDecile)
                && byBreakdown.FirstOrDefault(b => b.Key == Breakdown.ImdQuintile) is { } quintiles)
            {
                issues.Add(ErrorCatalogue.BothImdBreakdowns, quintiles.First().Location, null, indicator, Args.Of("indicator", indicator));
            }

            var totalMeasure = total.Measure;
            foreach (var breakdown in byBreakdown)
            {
                var numerator = breakdown.Sum(r => r.Measure.Numerator);
                var denominator = breakdown.Sum(r => r.Measure.Denominator);
                if (numerator != totalMeasure.Numerator || denominator != totalMeasure.Denominator)
                {
                    var key = $"{indicator}/{breakdown.Key.ToWire()}";
                    issues.Add(ErrorCatalogue.GroupsDoNotAddUp, breakdown.First().Location, $"{numerator} / {denominator}", key,
                        Args.Of("breakdown", breakdown.Key.ToWire()), Args.Of("indicator", indicator),
                        Args.Of("groups", Pair(numerator, denominator)),
                        Args.Of("total", Pair(totalMeasure.Numerator, totalMeasure.Denominator)
                            + $" ({IssueLocationText.Describe(total.Location)})"));
                    continue;
                }

                if (totalMeasure.Denominator == 0)
                {
                    continue;
                }

                var unknownCodes = breakdown.Key == Breakdown.EthnicCategory ? new[] { "Z", "99" } : [ImdGroups.Unassignable];
                var unknown = breakdown.Where(r => unknownCodes.Contains(r.Measure.GroupCode, StringComparer.Ordinal))
                    .Sum(r => r.Measure.Denominator);
                if (unknown > SubmissionRules.UnknownShareLimit * totalMeasure.Denominator)
                {
                    var warning = breakdown.Key == Breakdown.EthnicCategory
                        ? ErrorCatalogue.EthnicityNotRecorded : ErrorCatalogue.ImdNotAssigned;
                    var share = ((double)unknown / totalMeasure.Denominator).ToString("0.0#%", CultureInfo.InvariantCulture);
                    issues.Add(warning, breakdown.First().Location, share, $"{indicator}/{breakdown.Key.ToWire()}",
                        Args.Of("share", share), Args.Of("indicator", indicator), Args.Of("unknown", unknown),
                        Args.Of("total", totalMeasure.Denominator));
                }
            }
        }

        private static string Pair(long numerator, long denominator) =>
            string.Create(CultureInfo.InvariantCulture, $"numerator {numerator:N0} and denominator {denominator:N0}");
    }
}
