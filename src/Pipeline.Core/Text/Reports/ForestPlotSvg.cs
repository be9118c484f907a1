using System.Globalization;
using System.Text;
using Pipeline.Core.Detection;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// A forest plot of one organisation's indicator: each compared group's rate ratio with its 95% CI (thick) and 99.8% CI
/// (thin) on a log axis with a line at 1, ethnic groups then IMD quintiles; then the numbers behind it as a table (the
/// chart's full text alternative, and everything docs/statistics.md §7 says must go with a number).
/// </summary>
internal static class ForestPlotSvg
{
    private const double Width = 760;
    private const double LabelRight = 170;
    private const double PlotLeft = 185;
    private const double PlotRight = 505;
    private const double TextLeft = 520;
    private const double RowHeight = 24;
    private const double Top = 12;

    public static string Render(ReportIndicator indicator, ReportOrganisation organisation, IReadOnlyList<ReportComparison> comparisons)
    {
        var rows = comparisons
            .OrderBy(c => c.Breakdown).ThenBy(c => EquityReportBuilder.GroupRank(c.Breakdown, c.GroupCode))
            .ToList();
        var domain = Scale.RatioDomain(rows.SelectMany(c => new[] { c.RrCiLower998, c.RrCiUpper998, c.RateRatio }).OfType<double>());
        var scale = new Scale(domain.Min, domain.Max, PlotLeft, PlotRight, Log: true);
        var breakdowns = rows.Select(r => r.Breakdown).Distinct().ToList();
        var height = Top + ((rows.Count + breakdowns.Count) * RowHeight) + 46;
        var signalled = rows.Where(r => r.Signal != Signal.None).Select(r => $"{EquityReportText.GroupLabel(r.Breakdown, r.GroupCode)} ({EquityReportText.SignalLabel(r.Signal).ToLowerInvariant()}, ratio {EquityReportText.Ratio(r.RateRatio)})");
        var label = $"Forest plot: rate ratios with 95% and 99.8% confidence intervals for {indicator.Name}, {organisation.Name}. Signals: {string.Join("; ", signalled)}.";
        var svg = new Svg(Width, height, "chart forest", label, "Each row is a group compared with its reference group on a log scale; the vertical line marks a ratio of 1 (no difference). The table after the chart gives every number.");

        var y = Top;
        var plotTop = y;
        foreach (var breakdown in breakdowns)
        {
            svg.Text(8, y + 16, $"{Capitalise(EquityReportText.BreakdownLabel(breakdown))} vs {EquityReportText.GroupLabel(breakdown, ComparisonGroups.ReferenceGroup(breakdown))}", "fp-head");
            y += RowHeight;
            foreach (var row in rows.Where(r => r.Breakdown == breakdown))
            {
                DrawRow(svg, scale, row, y + (RowHeight / 2));
                y += RowHeight;
            }
        }

        var axisY = y + 6;
        svg.Line(scale.Map(1), plotTop, scale.Map(1), axisY, "ref-line");
        svg.Line(PlotLeft, axisY, PlotRight, axisY, "axis");
        foreach (var tick in Scale.RatioTicks(domain.Min, domain.Max))
        {
            var x = scale.Map(tick);
            svg.Line(x, axisY, x, axisY + 5, "axis").Text(x, axisY + 18, EquityReportText.Number(tick, "0.##"), "tick", "middle");
        }

        svg.Text((PlotLeft + PlotRight) / 2, axisY + 36, "Rate ratio vs reference (log scale)", "axis-label", "middle");
        return $"<figure class=\"forest-figure\">{svg}<figcaption>{EquityReportText.Escape(indicator.Name)}, {EquityReportText.Escape(organisation.Name)}: rate ratio with 95% CI (thick) and 99.8% CI (thin). ◆ alert, ● watch, ■ no signal.</figcaption></figure>" +
            NumbersTable(indicator, organisation, rows);
    }

    private static void DrawRow(Svg svg, Scale scale, ReportComparison row, double cy)
    {
        svg.Text(LabelRight, cy + 4, EquityReportText.GroupLabel(row.Breakdown, row.GroupCode), "fp-label", "end");
        if (row.RateRatio is not { } ratio)
        {
            svg.Text(TextLeft, cy + 4, "no comparison", "fp-value");
            return;
        }

        var tone = row.Inhibited ? "inhibited" : row.Signal.ToWire();
        if (row.RrCiLower998 is { } l998 && row.RrCiUpper998 is { } u998)
        {
            svg.Line(scale.Map(l998), cy, scale.Map(u998), cy, $"ci998 {tone}");
        }

        if (row.RrCiLower is { } l && row.RrCiUpper is { } u)
        {
            svg.Line(scale.Map(l), cy, scale.Map(u), cy, $"ci95 {tone}");
        }

        var tooltip = $"{EquityReportText.GroupLabel(row.Breakdown, row.GroupCode)}: {EquityReportText.RatioWithCi(ratio, row.RrCiLower, row.RrCiUpper)}";
        var x = scale.Map(ratio);
        _ = row.Signal switch
        {
            Signal.Alert when !row.Inhibited => svg.Diamond(x, cy, 7, $"marker {tone}", tooltip),
            Signal.Watch when !row.Inhibited => svg.Circle(x, cy, 5.5, $"marker {tone}", tooltip),
            _ => svg.Square(x, cy, 4.5, $"marker {tone}", tooltip),
        };
        var mark = row.Inhibited ? "  DQ inhibited" : row.Signal == Signal.None ? string.Empty : $"  {EquityReportText.SignalSymbol(row.Signal)} {EquityReportText.SignalLabel(row.Signal)}";
        svg.Text(TextLeft, cy + 4, $"{EquityReportText.RatioWithCi(ratio, row.RrCiLower, row.RrCiUpper, "95%").Replace("95% CI ", string.Empty, StringComparison.Ordinal)}{mark}", $"fp-value {tone}");
    }

    private static string NumbersTable(ReportIndicator indicator, ReportOrganisation organisation, IReadOnlyList<ReportComparison> rows)
    {
        var html = new StringBuilder();
        // Open when a group is on alert; watches keep the page short, one click away.
        var open = rows.Any(r => r.Signal == Signal.Alert && !r.Inhibited) ? " open" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"<details class=\"numbers\"{open}><summary>Numbers behind the chart</summary>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"table-wrap\"><table class=\"data numbers\"><caption>Numbers behind the chart: {EquityReportText.Escape(indicator.Name)}, {EquityReportText.Escape(organisation.Name)}</caption>");
        html.Append("<thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Value (95% CI)</th><th scope=\"col\">Events of total</th>" +
            "<th scope=\"col\">Reference value</th><th scope=\"col\">Rate ratio (95% CI)</th><th scope=\"col\">99.8% CI</th><th scope=\"col\">Window</th><th scope=\"col\">Signal</th></tr></thead><tbody>");
        foreach (var c in rows)
        {
            var signal = c.Inhibited ? $"Inhibited: {c.InhibitedReason}"
                : c.Signal == Signal.None ? "No signal"
                : $"{EquityReportText.SignalSymbol(c.Signal)} {EquityReportText.SignalLabel(c.Signal)} ({EquityReportText.RuleLabel(c.Rule)})";
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{EquityReportText.Escape(EquityReportText.GroupLabel(c.Breakdown, c.GroupCode))}</th>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(EquityReportText.Value(indicator, c.Numerator, c.Denominator))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{EquityReportText.Escape(EquityReportText.Counts(c.Numerator, c.Denominator))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(EquityReportText.GroupLabel(c.Breakdown, c.ReferenceGroupCode))}: {EquityReportText.Escape(EquityReportText.Value(indicator, c.ReferenceNumerator, c.ReferenceDenominator, withCi: false))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(EquityReportText.RatioWithCi(c.RateRatio, c.RrCiLower, c.RrCiUpper))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(c.RrCiLower998 is { } l && c.RrCiUpper998 is { } u ? $"{EquityReportText.Ratio(l)}–{EquityReportText.Ratio(u)}" : "–")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(EquityReportText.Window(c.WindowMonths,
                    c.MonthsPresent))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"{(c.Inhibited ? "inhibited" : c.Signal.ToWire())}\">{EquityReportText.Escape(signal)}</td></tr>");
        }

        html.Append("</tbody></table></div></details>");
        return html.ToString();
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
