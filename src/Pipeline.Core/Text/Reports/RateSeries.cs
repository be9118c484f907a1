using Pipeline.Core.Model;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Text.Reports;

/// <summary>One shown month of a group's p-chart: published (rounded) counts, and the chart point built on them.</summary>
internal sealed record RateMonth(Period Period, long Numerator, long Denominator, PChartPoint? Point);

/// <summary>
/// One group's monthly rate as it may be published (docs/disclosure.md): months with a count of 1–7 are left out (and
/// counted in <see cref="HiddenMonths"/>); the others use the rounded counts. The centre line is the baseline's pooled
/// proportion from the rounded baseline totals; a p-chart (<see cref="PChart"/>) is drawn from these figures alone, so a
/// point, its limits and its special cause always agree with what is printed.
/// </summary>
/// <param name="Centre">The baseline proportion; null when the baseline is shorter than 12 months or rests on a count of 1–7.</param>
internal sealed record RateSeries(string GroupLabel, bool IsReference, double? Centre, IReadOnlyList<RateMonth> Months,
    int HiddenMonths, int TotalMonths)
{
    /// <summary>Why there are no limits, for the caption; null when there are.</summary>
    public string? NoLimitsReason { get; init; }

    public static RateSeries Publish(
        string groupLabel, bool isReference, IReadOnlyList<(Period Period, long Numerator, long Denominator)> months,
        int baselinePoints = XmrChart.DefaultBaselinePoints)
    {
        ArgumentNullException.ThrowIfNull(months);
        var shown = months
            .Where(m => Disclosure.MayShow(m.Numerator, m.Denominator) && Disclosure.RoundCount(m.Denominator) > 0)
            .Select(m => (m.Period, Numerator: Disclosure.RoundCount(m.Numerator), Denominator: Disclosure.RoundCount(m.Denominator)))
            .ToList();
        var hidden = months.Count - shown.Count;
        string? reason = null;
        double? centre = null;
        if (months.Count < baselinePoints)
        {
            reason = $"fewer than {baselinePoints} months, so no limits yet";
        }
        else
        {
            var events = months.Take(baselinePoints).Sum(m => m.Numerator);
            var total = months.Take(baselinePoints).Sum(m => m.Denominator);
            if (!Disclosure.MayShow(events, total) || Disclosure.RoundCount(total) == 0)
            {
                reason = $"the first {baselinePoints} months hold {Disclosure.RateHiddenReason}, so no limits";
            }
            else
            {
                centre = (double)Disclosure.RoundCount(events) / Disclosure.RoundCount(total);
            }
        }

        var chart = centre is { } c ? PChart.WithCentre([.. shown.Select(s => (s.Numerator, s.Denominator))], c, baselinePoints) : null;
        var rows = shown.Select((s, i) => new RateMonth(s.Period, s.Numerator, s.Denominator, chart?.Points[i])).ToList();
        return new RateSeries(groupLabel, isReference, chart is null ? null : centre, rows, hidden,
            months.Count) { NoLimitsReason = reason };
    }

    /// <summary>The latest shown month with limits: what the variation and assurance icons read.</summary>
    public RateMonth? Latest => Months.LastOrDefault(m => m.Point is not null);

    public VariationIcon? Variation(ReportIndicator indicator) =>
        Latest?.Point is { } p ? MdcIcons.Variation(p.Rule, p.Side, indicator.Polarity) : null;
}
