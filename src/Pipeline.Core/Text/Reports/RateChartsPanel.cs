using System.Globalization;
using System.Text;
using Pipeline.Core.Detection;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// A firing signal's monthly charts (docs/report.md): for most indicators, the group's and the reference group's monthly
/// rates, each on its own p-chart with its Making Data Count variation icon, and the group's assurance icon against the
/// reference group's rate (the target an equity report cares about: does this group do as well as the reference?). For
/// the catalogue's rare-event indicators, whose monthly counts are mostly 0 to 7 and cannot be published, the group's
/// events counted up over the comparison's window against the number expected at the reference rate.
/// </summary>
internal static class RateChartsPanel
{
    public static string Render(ReportIndicator indicator, ReportAlert alert, ReportComparison? comparison, string subject,
        Model.Period period)
    {
        if (alert.Monthly is not { Count: > 0 } monthly)
        {
            return string.Empty;
        }

        var groupLabel = EquityReportText.GroupLabel(alert.Breakdown, alert.GroupCode);
        var referenceLabel = EquityReportText.GroupLabel(alert.Breakdown, ComparisonGroups.ReferenceGroup(alert.Breakdown));
        var html = new StringBuilder("<div class=\"rate-charts\">");
        if (indicator.RareEvent)
        {
            var window = comparison?.WindowMonths ?? ReportMonthly.MaximumMonths;
            var inWindow = monthly.Where(m => period.MonthsSince(m.Period) < window).ToList();
            if (CumulativeSeries.Publish(inWindow) is not { Months.Count: > 0 } series)
            {
                return html.Append("<p class=\"hint\">No cumulative chart: the reference group's events over the window are too few to "
                    + "publish.</p></div>").ToString();
            }

            var variation = series.Variation(indicator) ?? VariationIcon.CommonCause;
            html.Append("<figure class=\"rate-chart\" data-role=\"cumulative\">")
                .Append(Icons(variation, null, null, series.Months[^1].Period == period ? null : series.Months[^1].Period))
                .Append(CumulativeEventsSvg.Render(series, indicator, groupLabel, referenceLabel, subject))
                .Append("<figcaption>")
                .Append(EquityReportText.Escape($"{groupLabel}: events counted up over the {EquityReportText.WindowLength(window)} (a "
                    + $"rare outcome: "
                    + "its monthly counts are too small to chart or publish one by one), against the number expected had the group had the "
                    + $"{referenceLabel} rate. Solid line: expected; dotted: 95% range; dashed: 99.8% range; ◆ outside the 99.8% range. "
                    + "The alert itself rests on the pooled ratio and the CUSUM, not on this chart."))
                .Append("</figcaption></figure>");
            return html.Append("</div>").ToString();
        }

        foreach (var isReference in new[] { false, true })
        {
            var label = isReference ? referenceLabel : groupLabel;
            var series = RateSeries.Publish(label, isReference,
                [.. monthly.Select(m => isReference ? (m.Period, m.ReferenceNumerator, m.ReferenceDenominator) : (m.Period, m.Numerator,
                    m.Denominator))]);
            html.Append(CultureInfo.InvariantCulture, $"<figure class=\"rate-chart\" "
                + $"data-role=\"{(isReference ? "reference" : "group")}\">");
            if (series.Months.Count == 0)
            {
                var none = $"{label}: no month can be shown ({Disclosure.RateHiddenReason} in every month).";
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"hint\">{EquityReportText.Escape(none)}</p></figure>");
                continue;
            }

            var target = comparison?.ReferenceValue is { } value && !isReference ? value / indicator.Multiplier : (double?)null;
            var assurance = target is { } t && series.Latest?.Point is { } last
                ? MdcIcons.Assurance(last.LowerLimit, last.UpperLimit, t, indicator.Polarity)
                : (AssuranceIcon?)null;
            var targetText = target is { } tt
                ? $"the {referenceLabel} rate ({EquityReportText.Number(tt * indicator.Multiplier, "0.0")}"
                    + $"{(EquityReportText.PerThousand(indicator) ? " per 1,000" : "%")})"
                : null;
            var latest = series.Latest is { } shown && shown.Period != period ? shown.Period : (Model.Period?)null;
            html.Append(series.Variation(indicator) is { } variation ? Icons(variation, assurance, targetText, latest) : string.Empty)
                .Append(RateChartSvg.Render(series, indicator, subject))
                .Append("<figcaption>")
                .Append(EquityReportText.Escape(Caption(series, isReference)))
                .Append("</figcaption></figure>");
        }

        return html.Append("</div>").ToString();
    }

    private static string Caption(RateSeries series, bool isReference) =>
        $"{series.GroupLabel}{(isReference ? " (reference)" : string.Empty)}: monthly rate on a p-chart. Solid line: the centre "
        + "(the first 12 months' rate); dashed steps: limits, wider in smaller months; ◆ special cause (blue improvement, orange concern, "
        + "purple differs)."
        + (series.NoLimitsReason is { } reason ? $" No limits: {reason}." : string.Empty)
        + (series.HiddenMonths == 0 ? string.Empty
            : $" {series.HiddenMonths} of {series.TotalMonths} months not shown ({Disclosure.RateHiddenReason}).");

    /// <summary>The variation icon and, when a target applies, the assurance icon, each followed by its meaning in words.</summary>
    /// <param name="latest">The month the icons read, named when it is not the report's month (later months not shown).</param>
    private static string Icons(VariationIcon variation, AssuranceIcon? assurance, string? target, Model.Period? latest = null)
    {
        var html = new StringBuilder("<div class=\"mdc-icons\">");
        html.Append("<span class=\"mdc\">").Append(MdcIconSvg.Variation(variation))
            .Append(CultureInfo.InvariantCulture, $"<span "
                + $"class=\"mdc-text\">{EquityReportText.Escape(MdcIcons.Describe(variation))}</span></span>");
        if (latest is { } month)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"hint mdc-latest\">The icons read {month}, the latest month "
                + $"shown.</span>");
        }

        if (assurance == AssuranceIcon.None && target is not null)
        {
            // No icon is drawn where none applies; the sentence says why.
            html.Append(CultureInfo.InvariantCulture,
                $"<span class=\"hint mdc-none\">{EquityReportText.Escape(MdcIcons.Describe(AssuranceIcon.None, target))}.</span>");
        }
        else if (assurance is { } a && target is not null)
        {
            html.Append("<span class=\"mdc\">").Append(MdcIconSvg.Assurance(a, target))
                .Append(CultureInfo.InvariantCulture, $"<span "
                    + $"class=\"mdc-text\">{EquityReportText.Escape(MdcIcons.Describe(a, target))}</span></span>");
        }

        return html.Append("</div>").ToString();
    }
}
