using System.Globalization;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Detection;

/// <summary>
/// Turns a trust-month's validated measures into broad-group counts: ethnic categories → broad groups (Z and 99 →
/// Unknown), IMD deciles → quintiles (Q1 = deciles 1–2, most deprived; U stays U), IMD quintiles as they are.
/// Totals are not carried: the groups of a validated submission sum to them.
/// </summary>
public static class BroadGroupAggregation
{
    public static IReadOnlyList<GroupCount> FromSubmission(Submission submission, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return FromMeasures(submission.OrganisationCode, submission.ReportingPeriod, submission.Measures, reference);
    }

    public static IReadOnlyList<GroupCount> FromMeasures(
        string organisationCode, Period period, IEnumerable<Measure> measures, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(reference);
        var sums = new Dictionary<(string Indicator, ComparisonBreakdown Breakdown, string Group), (long N, long D)>();
        foreach (var measure in measures)
        {
            if (BroadGroupOf(measure, reference) is not { } target)
            {
                continue;
            }

            var key = (measure.IndicatorCode, target.Breakdown, target.Group);
            var (n, d) = sums.GetValueOrDefault(key);
            sums[key] = (n + measure.Numerator, d + measure.Denominator);
        }

        return [.. sums
            .OrderBy(s => s.Key.Indicator, StringComparer.Ordinal).ThenBy(s => s.Key.Breakdown).ThenBy(s => s.Key.Group, StringComparer.Ordinal)
            .Select(s => new GroupCount(period, Level.Organisation, organisationCode, s.Key.Indicator, s.Key.Breakdown, s.Key.Group, s.Value.N, s.Value.D))];
    }

    /// <summary>The comparison breakdown and broad group of a measure; null for the total row.</summary>
    public static (ComparisonBreakdown Breakdown, string Group)? BroadGroupOf(Measure measure, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(reference);
        switch (measure.Breakdown)
        {
            case Breakdown.Total:
                return null;
            case Breakdown.EthnicCategory:
                var category = reference.FindEthnicCategory(measure.GroupCode)
                    ?? throw new ArgumentException($"Ethnic category '{measure.GroupCode}' is not in the reference data; only validated measures can be aggregated.", nameof(measure));
                return (ComparisonBreakdown.EthnicGroup, category.BroadGroup);
            case Breakdown.ImdDecile:
                if (measure.GroupCode == ImdGroups.Unassignable)
                {
                    return (ComparisonBreakdown.ImdQuintile, ImdGroups.Unassignable);
                }

                var decile = int.TryParse(measure.GroupCode, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? reference.FindDecile(d) : null;
                return decile is null
                    ? throw new ArgumentException($"IMD decile '{measure.GroupCode}' is not 1–10 or U; only validated measures can be aggregated.", nameof(measure))
                    : (ComparisonBreakdown.ImdQuintile, decile.Quintile.ToString(CultureInfo.InvariantCulture));
            case Breakdown.ImdQuintile:
                return (ComparisonBreakdown.ImdQuintile, measure.GroupCode);
            default:
                throw new ArgumentOutOfRangeException(nameof(measure), measure.Breakdown, "Unknown breakdown.");
        }
    }
}
