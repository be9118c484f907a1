using System.Globalization;
using System.Text;
using Pipeline.Core.Detection;
using Pipeline.Core.Publishing;
using Pipeline.Core.Text.Reports;
using Pipeline.Core.Reporting;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// Renders the LMNS equity report as one self-contained HTML page: inline CSS and SVG, no scripts, fonts or images
/// fetched, so it can be emailed, archived or opened offline. Every string is escaped and every count and rate passes
/// disclosure control (<see cref="Disclosure"/>). Pure: the same model gives the same bytes.
/// </summary>
public static class EquityReportHtml
{
    public static string Render(EquityReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        // Disclosure control at the last step before output: every panel below sees only publishable figures.
        var indicators = model.Indicators;
        model = model with
        {
            Comparisons = [.. model.Comparisons.Select(c => indicators.FirstOrDefault(i => i.Code == c.IndicatorCode) is { } indicator
                ? c.Published(indicator.Multiplier, indicator.Polarity)
                : c.Published(100, Polarity.HigherIsWorse))],
        };
        var lmns = model.Organisations[0];
        var title = $"Maternity equity report: {model.LmnsName} ({model.LmnsCode}), {model.Period}";
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append(CultureInfo.InvariantCulture, $"<title>{EquityReportText.Escape(title)}</title>\n<style>\n{ReportStyles.Css}</style>\n</head>\n<body>\n");
        html.Append("<header class=\"banner\"><div class=\"wrap\">")
            .Append("<p class=\"org\"><span class=\"nhs\">NHS</span>Regional maternity equity pipeline</p>")
            .Append("<h1>Maternity equity report</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"lead\">{EquityReportText.Escape(model.LmnsName)} ({EquityReportText.Escape(model.LmnsCode)}) · windows ending {model.Period}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Generated {model.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC{CutOff(model)} · Official – for NHS use · counts rounded under MSDS disclosure rules</p>")
            .Append("</div></header>\n<main class=\"wrap\">\n");
        html.Append(Summary(model)).Append('\n')
            .Append(HeatMaps(model, lmns)).Append('\n')
            .Append(ForestPlots(model)).Append('\n')
            .Append(Signals(model)).Append('\n')
            .Append(ReportSections.Funnels(model)).Append('\n')
            .Append(Gradients(model)).Append('\n')
            .Append(ReportPanels.DataQuality(model)).Append('\n')
            .Append(ReportPanels.Submissions(model)).Append('\n')
            .Append(ReportPanels.Method()).Append('\n')
            .Append(ReportSections.Glossary()).Append('\n');
        html.Append("</main>\n<footer class=\"wrap\"><p>Produced by the regional maternity equity pipeline from trusts' monthly equity submissions. ")
            .Append("Aggregate data only; no personal data.</p></footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Summary(EquityReportModel model)
    {
        var alerts = model.Alerts.Count(a => a.Severity == Signal.Alert);
        var watches = model.Alerts.Count(a => a.Severity == Signal.Watch);
        var submitted = model.Submissions.Count(s => s.State != SubmissionState.Missing);
        var late = model.Submissions.Count(s => s.State == SubmissionState.Late);
        var quality = model.DataQuality.Select(d => (d.Level, d.OrganisationCode)).Distinct().Count();
        return "<section aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2><ul class=\"cards\">" +
            $"<li class=\"alert\"><span class=\"n\">{alerts}</span><span class=\"what\">alert{Plural(alerts)} firing</span></li>" +
            $"<li class=\"watch\"><span class=\"n\">{watches}</span><span class=\"what\">watch{(watches == 1 ? string.Empty : "es")} firing</span></li>" +
            $"<li><span class=\"n\">{submitted} of {model.Submissions.Count}</span><span class=\"what\">trusts submitted for {model.Period} ({late} late)</span></li>" +
            $"<li class=\"dq\"><span class=\"n\">{quality}</span><span class=\"what\">organisation{Plural(quality)} with poor ethnicity or IMD recording (signals inhibited)</span></li>" +
            "</ul>" + PartialWindows(model) + "</section>";
    }

    /// <summary>A sentence when some windows have months without accepted data (each such cell and panel says so too).</summary>
    private static string PartialWindows(EquityReportModel model)
    {
        var partial = model.Comparisons.Count(c => WindowText.IsPartial(c.WindowMonths, c.MonthsPresent))
            + model.Gradients.Count(g => WindowText.IsPartial(g.WindowMonths, g.MonthsPresent));
        return partial == 0 ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"<p class=\"partial\">{partial} of {model.Comparisons.Count + model.Gradients.Count} ")
                + "comparisons rest on a partial window (months without an accepted submission); each says so where it is shown.</p>";
    }

    private static string HeatMaps(EquityReportModel model, ReportOrganisation lmns)
    {
        var html = new StringBuilder("<section aria-labelledby=\"heatmap-h\"><h2 id=\"heatmap-h\">Where the gaps are</h2>");
        html.Append("<p>Each cell is the rate ratio of a group's rate to its reference group's (White; IMD Q5, least deprived) over the indicator's window. ")
            .Append("Red cells are worse than the reference, blue better, plum different for indicators with no better or worse direction; the deeper the colour, the larger the gap; gaps whose 95% confidence interval includes 1, or with fewer than 5 events in either group, stay pale. ")
            .Append("Signals are written in the cell: ▲ Alert (99.8% confidence interval excludes 1 and the gap is material) and △ Watch (95%, or a special cause on the monthly series); DQ means signals are inhibited by poor recording. ")
            .Append("Hover over a cell, or move to it with the Tab key, for its numbers.</p>")
            .Append("<p>A cell marked “can't see 2×” has no signal but could not have raised an alert even if the group's rate were double (or half, where higher is better) the reference's: its window holds too few events, so its silence means “too few events to tell”, not “no gap”. Each cell's details give the smallest ratio its window could alert on.</p>");
        html.Append(Legend());
        html.Append(CultureInfo.InvariantCulture, $"<h3 id=\"heatmap-lmns-h\">{EquityReportText.Escape(lmns.Name)} (all trusts)</h3>");
        html.Append(HeatMap.Render(model, lmns, "heatmap-lmns"));
        html.Append(model.Scope == Core.Alerts.RoutingScope.Region
            ? "<h3>LMNSs</h3><p class=\"hint\">LMNSs with an alert are open; select an LMNS to show or hide its heat map.</p>"
            : "<h3>Trusts</h3><p class=\"hint\">Trusts with an alert are open; select a trust to show or hide its heat map.</p>");
        foreach (var trust in model.Organisations.Skip(1))
        {
            var alerts = model.Alerts.Count(a => a.Level == trust.Level && a.OrganisationCode == trust.Code && a.Severity == Signal.Alert);
            var watches = model.Alerts.Count(a => a.Level == trust.Level && a.OrganisationCode == trust.Code && a.Severity == Signal.Watch);
            var hasRows = model.Comparisons.Any(c => c.Level == trust.Level && c.OrganisationCode == trust.Code);
            html.Append(CultureInfo.InvariantCulture, $"<details{(alerts > 0 ? " open" : string.Empty)}><summary>{EquityReportText.Escape(trust.Name)} ({EquityReportText.Escape(trust.Code)}) ")
                .Append(CultureInfo.InvariantCulture, $"<span class=\"counts\">{alerts} alert{Plural(alerts)}, {watches} watch{(watches == 1 ? string.Empty : "es")}</span></summary>")
                .Append(hasRows ? HeatMap.Render(model, trust, $"heatmap-{Id(trust.Code)}") : "<p>No comparisons for this trust at this period.</p>")
                .Append("</details>");
        }

        return html.Append("</section>").ToString();
    }

    private static string Legend()
    {
        (string Label, Direction Direction, double Ratio, bool Clear)[] swatches =
        [
            ("worse, ratio 1.5", Direction.Worse, 1.5, true), ("worse, ratio 2 or more", Direction.Worse, 2.5, true),
            ("better, ratio 0.67", Direction.Better, 0.67, true), ("better, 0.5 or less", Direction.Better, 0.4, true),
            ("different (neutral indicator)", Direction.Different, 1.6, true), ("not clear: the 95% CI includes 1, or fewer than 5 events", Direction.Worse, 2.5, false),
        ];
        var items = swatches.Select(s => $"<li><span class=\"sw\" style=\"background:{HeatMap.Colour(s.Direction, s.Ratio, s.Clear).Background}\"></span>{EquityReportText.Escape(s.Label)}</li>");
        return $"<ul class=\"legend\" aria-label=\"Heat map colours\">{string.Concat(items)}</ul>";
    }

    private static string ForestPlots(EquityReportModel model)
    {
        var html = new StringBuilder("<section aria-labelledby=\"forest-h\"><h2 id=\"forest-h\">Group comparisons for indicators with a signal</h2>");
        var plots = model.Comparisons
            .Where(c => c.Signal != Signal.None)
            .Select(c => (c.Level, c.OrganisationCode, c.IndicatorCode))
            .Distinct()
            .Select(k => (Key: k, Organisation: model.Organisations.First(o => o.Level == k.Level && o.Code == k.OrganisationCode), Indicator: model.Indicators.First(i => i.Code == k.IndicatorCode)))
            .OrderBy(p => IndexOf(model.Organisations, p.Organisation)).ThenBy(p => IndexOf(model.Indicators, p.Indicator))
            .ToList();
        if (plots.Count == 0)
        {
            return html.Append("<p>No group has a signal at this period.</p></section>").ToString();
        }

        // Plots with an alert come first and open; plots with watches only are one click away, so the page stays short.
        var withAlert = plots.Where(p => HasAlert(p.Key)).ToList();
        var watchOnly = plots.Where(p => !HasAlert(p.Key)).ToList();
        foreach (var plot in withAlert)
        {
            html.Append(Plot(plot.Key, plot.Organisation, plot.Indicator));
        }

        if (watchOnly.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"more\"><summary>Indicators with watches only ({watchOnly.Count})</summary>");
            foreach (var plot in watchOnly)
            {
                html.Append(Plot(plot.Key, plot.Organisation, plot.Indicator));
            }

            html.Append("</details>");
        }

        return html.Append("</section>").ToString();

        bool HasAlert((Level Level, string OrganisationCode, string IndicatorCode) key) =>
            model.Comparisons.Any(c => c.Level == key.Level && c.OrganisationCode == key.OrganisationCode && c.IndicatorCode == key.IndicatorCode && c.Signal == Signal.Alert);

        string Plot((Level Level, string OrganisationCode, string IndicatorCode) key, ReportOrganisation organisation, ReportIndicator indicator)
        {
            var rows = model.Comparisons.Where(c => c.Level == key.Level && c.OrganisationCode == key.OrganisationCode && c.IndicatorCode == key.IndicatorCode).ToList();
            return $"<h3>{EquityReportText.Escape(indicator.Name)} — {EquityReportText.Escape(organisation.Name)}</h3>{ForestPlotSvg.Render(indicator, organisation, rows)}";
        }
    }

    private static string Signals(EquityReportModel model)
    {
        var html = new StringBuilder("<section aria-labelledby=\"signals-h\"><h2 id=\"signals-h\">Firing signals and their monthly trend</h2>");
        if (model.Alerts.Count == 0)
        {
            return html.Append("<p>Nothing is firing at this period.</p></section>").ToString();
        }

        html.Append("<p>One entry per firing signal, alerts first. The charts show the group's and the reference group's ")
            .Append("monthly rates, each on a Making Data Count p-chart (centre line from the first 12 months, limits that widen ")
            .Append("in smaller months, special-cause months as larger diamonds: blue improvement, orange concern, purple differs), ")
            .Append("with the variation and assurance icons explained in words beside them. Rare outcomes show their events ")
            .Append("counted up against the number expected instead. The glossary at the end explains every term.</p>");
        foreach (var alert in model.Alerts.Where(a => a.Severity == Signal.Alert))
        {
            html.Append(ReportPanels.Signal(model, alert, collapsed: false));
        }

        var watches = model.Alerts.Where(a => a.Severity == Signal.Watch).ToList();
        if (watches.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3 class=\"group\">Watches ({watches.Count})</h3><p class=\"hint\">Select a watch to show its numbers and chart.</p>");
            foreach (var alert in watches)
            {
                html.Append(ReportPanels.Signal(model, alert, collapsed: true));
            }
        }

        return html.Append("</section>").ToString();
    }

    private static string Gradients(EquityReportModel model)
    {
        var html = new StringBuilder("<section aria-labelledby=\"gradient-h\"><h2 id=\"gradient-h\">Deprivation gradients</h2>");
        html.Append("<p>Slope and relative indices of inequality across IMD quintiles (PHE method, 95% limits by simulation; an alert needs the 99.8% limits to exclude 1), oriented so that a relative index above 1 means the most deprived fare worse.</p>");
        var subject = model.Organisations[0].Level;
        var rows = model.Gradients.Where(g => g.Level == subject || g.Signal != Signal.None).ToList();
        var caption = subject == Level.Region
            ? "the region, and LMNSs with a gradient signal"
            : "the LMNS, and trusts with a gradient signal";
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"table-wrap\"><table class=\"data\"><caption>")
            .Append(CultureInfo.InvariantCulture, $"Deprivation gradient by indicator ({caption})</caption>")
            .Append("<thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Organisation</th><th scope=\"col\">Relative index (95% CI)</th><th scope=\"col\">Slope index (95% CI)</th><th scope=\"col\">Window</th><th scope=\"col\">Signal</th></tr></thead><tbody>");
        foreach (var g in rows.OrderBy(g => g.Level == subject ? 0 : 1).ThenBy(g => IndexOf(model.Indicators, model.Indicators.First(i => i.Code == g.IndicatorCode))))
        {
            var indicator = model.Indicators.First(i => i.Code == g.IndicatorCode);
            var organisation = model.Organisations.First(o => o.Level == g.Level && o.Code == g.OrganisationCode);
            var unit = EquityReportText.PerThousand(indicator) ? " per 1,000" : " percentage points";
            var sii = g.Sii is { } s ? $"{EquityReportText.Number(s, "0.0")}{unit}{(g.SiiCiLower is { } l && g.SiiCiUpper is { } u ? $" ({EquityReportText.Number(l, "0.0")} to {EquityReportText.Number(u, "0.0")})" : string.Empty)}" : "not computed";
            var signal = g.InhibitedReason is { } reason ? $"Inhibited: {reason}" : g.Signal == Signal.None ? "No signal" : $"{EquityReportText.SignalSymbol(g.Signal)} {EquityReportText.SignalLabel(g.Signal)}";
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{EquityReportText.Escape(indicator.Name)}</th><td>{EquityReportText.Escape(organisation.Name)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(g.Rii is null ? "not computed" : EquityReportText.RatioWithCi(g.Rii, g.RiiCiLower, g.RiiCiUpper))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(sii)}</td><td>{EquityReportText.Escape(EquityReportText.Window(g.WindowMonths, g.MonthsPresent))}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"{(g.InhibitedReason is null ? g.Signal.ToWire() : "inhibited")}\">{EquityReportText.Escape(signal)}</td></tr>");
        }

        return html.Append("</tbody></table></div></section>").ToString();
    }

    /// <summary>" · data: files received up to 2026-11-14 09:30 UTC", the cut-off the page rests on; empty without a file.</summary>
    private static string CutOff(EquityReportModel model) => model.DataCutOff is { } cutOff
        ? $" · data: files received up to {cutOff.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
        : string.Empty;

    internal static string Plural(int count) => count == 1 ? string.Empty : "s";

    internal static string Id(string code) => new([.. code.Select(ch => char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-')]);

    private static int IndexOf<T>(IReadOnlyList<T> list, T item) => list.ToList().IndexOf(item);
}
