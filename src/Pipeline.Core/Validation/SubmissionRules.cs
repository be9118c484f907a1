using System.Globalization;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Validation;

/// <summary>
/// The rules across rows that the schema cannot express: one total per indicator, no duplicate rows, one IMD
/// breakdown, groups summing exactly to the total, and the unknown-share warnings. Indicators with a bad row are
/// skipped (their sums would only echo that row's error).
/// </summary>
internal static class SubmissionRules
{
    /// <summary>Above this share of the total denominator, unknown ethnicity or IMD makes group comparisons unreliable.</summary>
    public const double UnknownShareLimit = 0.10;

    /// <remarks>
    /// One pass over the rows and running sums per breakdown, no LINQ grouping: this runs once per file, 64,800 rows a
    /// national month. Issues come in the order the grouped form gave them (indicators and breakdowns in first appearance).
    /// </remarks>
    public static void Check(IReadOnlyList<CheckedMeasure> rows, IReadOnlySet<string> tainted, IssueCollector issues)
    {
        var skip = new HashSet<string>(tainted, StringComparer.Ordinal);
        var first = new Dictionary<(string, Breakdown, string), CheckedMeasure>(rows.Count);
        var byIndicator = new Dictionary<string, List<CheckedMeasure>>(StringComparer.Ordinal);
        var indicators = new List<(string Code, List<CheckedMeasure> Rows)>();
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

            if (!byIndicator.TryGetValue(row.Measure.IndicatorCode, out var own))
            {
                own = [];
                byIndicator[row.Measure.IndicatorCode] = own;
                indicators.Add((row.Measure.IndicatorCode, own));
            }

            own.Add(row);
        }

        foreach (var (code, own) in indicators)
        {
            if (!skip.Contains(code))
            {
                CheckIndicator(code, own, issues);
            }
        }
    }

    private static void CheckIndicator(string indicator, List<CheckedMeasure> rows, IssueCollector issues)
    {
        CheckedMeasure? total = null;
        var byBreakdown = new List<Tally>(3);
        foreach (var row in rows)
        {
            var measure = row.Measure;
            if (measure.Breakdown == Breakdown.Total)
            {
                total ??= row;
                continue;
            }

            Tally? tally = null;
            foreach (var seen in byBreakdown)
            {
                tally = seen.Breakdown == measure.Breakdown ? seen : tally;
            }

            if (tally is null)
            {
                tally = new Tally(measure.Breakdown, row);
                byBreakdown.Add(tally);
            }

            tally.Add(measure);
        }

        if (total is null)
        {
            issues.Add(ErrorCatalogue.MissingTotal, rows[0].Location, null, indicator, Args.Of("indicator", indicator));
            return;
        }

        if (byBreakdown.Exists(b => b.Breakdown == Breakdown.ImdDecile)
            && byBreakdown.Find(b => b.Breakdown == Breakdown.ImdQuintile) is { } quintiles)
        {
            issues.Add(ErrorCatalogue.BothImdBreakdowns, quintiles.First.Location, null, indicator, Args.Of("indicator", indicator));
        }

        var totalMeasure = total.Measure;
        foreach (var breakdown in byBreakdown)
        {
            var (numerator, denominator) = (breakdown.Numerator, breakdown.Denominator);
            if (numerator != totalMeasure.Numerator || denominator != totalMeasure.Denominator)
            {
                var key = $"{indicator}/{breakdown.Breakdown.ToWire()}";
                issues.Add(ErrorCatalogue.GroupsDoNotAddUp, breakdown.First.Location, $"{numerator} / {denominator}", key,
                    Args.Of("breakdown", breakdown.Breakdown.ToWire()), Args.Of("indicator", indicator),
                    Args.Of("groups", Pair(numerator, denominator)), Args.Of("total", Pair(totalMeasure.Numerator, totalMeasure.Denominator) + $" ({IssueLocationText.Describe(total.Location)})"));
                continue;
            }

            if (totalMeasure.Denominator == 0)
            {
                continue;
            }

            var unknown = breakdown.Unknown;
            if (unknown > UnknownShareLimit * totalMeasure.Denominator)
            {
                var warning = breakdown.Breakdown == Breakdown.EthnicCategory ? ErrorCatalogue.EthnicityNotRecorded : ErrorCatalogue.ImdNotAssigned;
                var share = ((double)unknown / totalMeasure.Denominator).ToString("0.0#%", CultureInfo.InvariantCulture);
                issues.Add(warning, breakdown.First.Location, share, $"{indicator}/{breakdown.Breakdown.ToWire()}",
                    Args.Of("share", share), Args.Of("indicator", indicator), Args.Of("unknown", unknown), Args.Of("total", totalMeasure.Denominator));
            }
        }
    }

    /// <summary>One breakdown's rows of an indicator, summed: its first row (where messages point) and its counts.</summary>
    private sealed class Tally(Breakdown breakdown, CheckedMeasure first)
    {
        public Breakdown Breakdown { get; } = breakdown;

        public CheckedMeasure First { get; } = first;

        public long Numerator { get; private set; }

        public long Denominator { get; private set; }

        /// <summary>Records whose group is "not known" (ethnicity Z or 99; IMD U), whose share draws the warning.</summary>
        public long Unknown { get; private set; }

        public void Add(Measure measure)
        {
            Numerator = checked(Numerator + measure.Numerator);
            Denominator = checked(Denominator + measure.Denominator);
            if (Breakdown == Breakdown.EthnicCategory ? measure.GroupCode is "Z" or "99" : measure.GroupCode == ImdGroups.Unassignable)
            {
                Unknown = checked(Unknown + measure.Denominator);
            }
        }
    }

    private static string Pair(long numerator, long denominator) =>
        string.Create(CultureInfo.InvariantCulture, $"numerator {numerator:N0} and denominator {denominator:N0}");
}
