using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Core.Reporting;

/// <summary>One month of a firing signal's group and reference group: raw counts, published only by the renderer.</summary>
public sealed record ReportMonth(Period Period, long Numerator, long Denominator, long ReferenceNumerator, long ReferenceDenominator);

/// <summary>The monthly counts behind a firing signal's rate charts (docs/report.md).</summary>
public static class ReportMonthly
{
    /// <summary>At most this many months, the latest, are charted: three years, the rare-event window.</summary>
    public const int MaximumMonths = 36;

    /// <summary>
    /// The group's and its reference group's counts for each month up to <paramref name="period"/> (the latest
    /// <see cref="MaximumMonths"/>) in which both have a denominator; null for a gradient, or when the store has no series.
    /// </summary>
    public static IReadOnlyList<ReportMonth>? From(CountStore history, ReportAlert alert, Period period)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.GroupCode == DeprivationGradient.GroupCode
            || history.Find(new SeriesKey(alert.Level, alert.OrganisationCode, alert.IndicatorCode, alert.Breakdown)) is not { } series)
        {
            return null;
        }

        var reference = ComparisonGroups.ReferenceGroup(alert.Breakdown);
        var months = new List<ReportMonth>();
        foreach (var month in series.Months.Where(m => m <= period).Order())
        {
            if (series.Month(month, alert.GroupCode) is { Denominator: > 0 } group
                && series.Month(month, reference) is { Denominator: > 0 } baseline)
            {
                months.Add(new ReportMonth(month, group.Numerator, group.Denominator, baseline.Numerator, baseline.Denominator));
            }
        }

        return months.Count == 0 ? null : months.TakeLast(MaximumMonths).ToList();
    }
}
