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
        if (byBreakdown.Any(b => b.Key == Breakdown.ImdDecile) && byBreakdown.FirstOrDefault(b => b.Key == Breakdown.ImdQuintile) is { } quintiles)
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
                    Args.Of("groups", Pair(numerator, denominator)), Args.Of("total", Pair(totalMeasure.Numerator, totalMeasure.Denominator) + $" ({IssueLocationText.Describe(total.Location)})"));
                continue;
            }

            if (totalMeasure.Denominator == 0)
            {
                continue;
            }

            var unknownCodes = breakdown.Key == Breakdown.EthnicCategory ? new[] { "Z", "99" } : [ImdGroups.Unassignable];
            var unknown = breakdown.Where(r => unknownCodes.Contains(r.Measure.GroupCode, StringComparer.Ordinal)).Sum(r => r.Measure.Denominator);
            if (unknown > UnknownShareLimit * totalMeasure.Denominator)
            {
                var warning = breakdown.Key == Breakdown.EthnicCategory ? ErrorCatalogue.EthnicityNotRecorded : ErrorCatalogue.ImdNotAssigned;
                var share = ((double)unknown / totalMeasure.Denominator).ToString("0.0#%", CultureInfo.InvariantCulture);
                issues.Add(warning, breakdown.First().Location, share, $"{indicator}/{breakdown.Key.ToWire()}",
                    Args.Of("share", share), Args.Of("indicator", indicator), Args.Of("unknown", unknown), Args.Of("total", totalMeasure.Denominator));
            }
        }
    }

    private static string Pair(long numerator, long denominator) =>
        string.Create(CultureInfo.InvariantCulture, $"numerator {numerator:N0} and denominator {denominator:N0}");
}
