using System.Globalization;
using System.Text;
using Pipeline.Core.Detection;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>The report's text panels: one firing signal, data quality, submission status, and the method notes.</summary>
internal static class ReportPanels
{
    /// <param name="collapsed">Written as a closed disclosure (watches), its heading the summary; else an open article (alerts).</param>
    public static string Signal(EquityReportModel model, ReportAlert alert, bool collapsed)
    {
        var organisation = model.Organisations.First(o => o.Level == alert.Level && o.Code == alert.OrganisationCode);
        var indicator = model.Indicators.First(i => i.Code == alert.IndicatorCode);
        var gradient = alert.Rule == SignalRule.Gradient;
        var who = gradient ? "Deprivation gradient" : $"{EquityReportText.GroupLabel(alert.Breakdown, alert.GroupCode)} vs {EquityReportText.GroupLabel(alert.Breakdown, ComparisonGroups.ReferenceGroup(alert.Breakdown))}";
        var badge = $"<span class=\"badge {alert.Severity.ToWire()}\">{EquityReportText.SignalSymbol(alert.Severity)} {EquityReportText.SignalLabel(alert.Severity)}</span>";
        var heading = $"<h3>{badge} {EquityReportText.Escape(who)}: {EquityReportText.Escape(indicator.Name)} — {EquityReportText.Escape(organisation.Name)}</h3>";
        var html = new StringBuilder(collapsed ? $"<details class=\"signal\"><summary>{heading}</summary>" : $"<article class=\"signal\">{heading}");
        html.Append("<dl class=\"facts\">");
        Fact(html, "Level", $"{EquityReportText.LevelLabel(alert.Level)} {organisation.Code}");
        Fact(html, "Rule", EquityReportText.RuleLabel(alert.Rule));
        Fact(html, "Firing since", alert.Since?.ToString() ?? "not recorded");
        if (gradient && model.Gradients.FirstOrDefault(g => g.Level == alert.Level && g.OrganisationCode == alert.OrganisationCode && g.IndicatorCode == alert.IndicatorCode) is { } g)
        {
            Fact(html, "Relative index", EquityReportText.RatioWithCi(g.Rii, g.RiiCiLower, g.RiiCiUpper));
            Fact(html, "Window", EquityReportText.Window(g.WindowMonths, g.MonthsPresent));
        }
        else if (model.Comparisons.FirstOrDefault(c => c.Level == alert.Level && c.OrganisationCode == alert.OrganisationCode &&
                     c.IndicatorCode == alert.IndicatorCode && c.Breakdown == alert.Breakdown && c.GroupCode == alert.GroupCode) is { } c)
        {
            Fact(html, EquityReportText.GroupLabel(c.Breakdown, c.GroupCode), $"{EquityReportText.Value(indicator, c.Numerator, c.Denominator)}; {EquityReportText.Counts(c.Numerator, c.Denominator)}");
            Fact(html, $"{EquityReportText.GroupLabel(c.Breakdown, c.ReferenceGroupCode)} (reference)",
                $"{EquityReportText.Value(indicator, c.ReferenceNumerator, c.ReferenceDenominator, withCi: false)}{(c.ReferenceNumerator is { } rn && c.ReferenceDenominator is { } rd ? $"; {EquityReportText.Counts(rn, rd)}" : string.Empty)}");
            Fact(html, "Rate ratio", $"{EquityReportText.RatioWithCi(c.RateRatio, c.RrCiLower, c.RrCiUpper)}; 99.8% CI {EquityReportText.Ratio(c.RrCiLower998)}–{EquityReportText.Ratio(c.RrCiUpper998)}");
            Fact(html, "Window", EquityReportText.Window(c.WindowMonths, c.MonthsPresent));
        }

        html.Append("</dl>");
        var subject = $"{indicator.Name}, {organisation.Name}";
        var row = gradient ? null : model.Comparisons.FirstOrDefault(c => c.Level == alert.Level
            && c.OrganisationCode == alert.OrganisationCode && c.IndicatorCode == alert.IndicatorCode
            && c.Breakdown == alert.Breakdown && c.GroupCode == alert.GroupCode);
        html.Append(RateChartsPanel.Render(indicator, alert, row, subject, model.Period));
        if (alert.Trend is { Points.Count: > 0 } trend)
        {
            // The series the SPC rule reads (docs/statistics.md §5); the group rates above are what a reader should look at first.
            var ratioSubject = $"{who}, {subject}";
            var folded = alert.Monthly is { Count: > 0 };
            html.Append(folded ? "<details class=\"numbers ratio-trend\"><summary>The monthly rate ratio the SPC rule reads</summary>"
                    : string.Empty)
                .Append(CultureInfo.InvariantCulture, $"<figure>{TrendChartSvg.Render(trend, ratioSubject)}<figcaption>")
                .Append("Monthly rate ratio, ")
                .Append(CultureInfo.InvariantCulture, $"{EquityReportText.Escape(ratioSubject)}. Solid line: mean; dashed lines: process limits; ")
                .Append("◆ special cause. With few events a month the ratio swings widely, so its limits are wide.</figcaption></figure>")
                .Append(folded ? "</details>" : string.Empty);
        }
        else if (!gradient && alert.Monthly is not { Count: > 0 })
        {
            html.Append("<p class=\"hint\">No monthly series available for this signal.</p>");
        }

        return html.Append(collapsed ? "</details>" : "</article>").ToString();
    }

    public static string DataQuality(EquityReportModel model)
    {
        var html = new StringBuilder("<section aria-labelledby=\"dq-h\"><h2 id=\"dq-h\">Data quality</h2>");
        if (model.DataQuality.Count == 0)
        {
            return html.Append("<p>No data-quality findings: unknown ethnicity and unassignable IMD are within the thresholds everywhere.</p></section>").ToString();
        }

        html.Append("<p>Where too many records have no ethnic group (Z, 99) or no IMD decile (U), group comparisons could mislead, so their signals are inhibited until recording improves. One row per organisation and breakdown.</p>")
            .Append("<div class=\"table-wrap\"><table class=\"data\"><caption>Data-quality findings</caption><thead><tr>")
            .Append("<th scope=\"col\">Organisation</th><th scope=\"col\">Missing</th><th scope=\"col\">Unknown share</th>")
            .Append("<th scope=\"col\">Threshold</th><th scope=\"col\">Indicators affected</th></tr></thead><tbody>");
        foreach (var finding in model.DataQuality.GroupBy(d => (d.Level, d.OrganisationCode, d.Breakdown)))
        {
            var organisation = model.Organisations.First(o => o.Level == finding.Key.Level && o.Code == finding.Key.OrganisationCode);
            var missing = finding.Key.Breakdown == ComparisonBreakdown.EthnicGroup ? "Ethnicity not stated or not known" : "IMD not assignable";
            var published = finding.Select(d => Disclosure.Share(d.UnknownDenominator, d.TotalDenominator)).OfType<decimal>().ToList();
            var share = published.Count == 0 ? "not shown (counts too small)"
                : published.Min() == published.Max() ? string.Create(CultureInfo.InvariantCulture, $"{published.Min():0.0}%")
                : string.Create(CultureInfo.InvariantCulture, $"{published.Min():0.0}% to {published.Max():0.0}%");
            var indicators = finding.Select(d => model.Indicators.FirstOrDefault(i => i.Code == d.IndicatorCode)?.Name ?? d.IndicatorCode).ToList();
            var worst = finding.MaxBy(d => d.UnknownShare)!;
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{EquityReportText.Escape(organisation.Name)}</th><td>{EquityReportText.Escape(missing)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{share}<br><span class=\"sub\">highest: {EquityReportText.Escape(EquityReportText.Counts(worst.UnknownDenominator, worst.TotalDenominator))}</span></td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{EquityReportText.Percent(worst.Threshold)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{indicators.Count} of {model.Indicators.Count}<br><span class=\"sub\">{EquityReportText.Escape(string.Join("; ", indicators))}</span></td></tr>");
        }

        return html.Append("</tbody></table></div></section>").ToString();
    }

    public static string Submissions(EquityReportModel model)
    {
        var html = new StringBuilder($"<section aria-labelledby=\"subs-h\"><h2 id=\"subs-h\">Submissions for {model.Period}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"table-wrap\"><table class=\"data\"><caption>Submission status of each trust in {EquityReportText.Escape(model.LmnsName)}</caption>")
            .Append("<thead><tr><th scope=\"col\">Trust</th><th scope=\"col\">Code</th><th scope=\"col\">Status</th><th scope=\"col\">Accepted submission received</th></tr></thead><tbody>");
        foreach (var s in model.Submissions)
        {
            var (css, label) = s.State switch
            {
                SubmissionState.OnTime => ("on-time", "On time"),
                SubmissionState.Late => ("late", "Late"),
                _ => ("missing", "Missing"),
            };
            var received = s.ReceivedAt?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "nothing accepted yet";
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{EquityReportText.Escape(s.TrustName)}</th><td>{EquityReportText.Escape(s.TrustCode)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><span class=\"badge {css}\">{label}</span></td><td>{EquityReportText.Escape(received)}</td></tr>");
        }

        return html.Append("</tbody></table></div></section>").ToString();
    }

    public static string Method() =>
        "<section aria-labelledby=\"method-h\"><h2 id=\"method-h\">About these numbers</h2><ul>" +
        "<li>Values are pooled over each indicator's rolling window (12 months by default) ending at the report's period, with 95% Wilson score intervals.</li>" +
        "<li>Rate ratios compare each group with White (ethnic groups) or IMD Q5, the least deprived (deprivation), with log-method 95% and 99.8% intervals.</li>" +
        "<li>An <strong>alert</strong> needs the 99.8% interval to exclude 1 in the worse direction, a ratio of at least 1.25 (or at most 0.8 when lower is worse) and at least 5 events in both groups. A <strong>watch</strong> is the same at 95%, or a special cause on the monthly series (Making Data Count rules). Windows with fewer than 9 of 12 months of data never signal.</li>" +
        "<li>Rare outcomes (the catalogue's rare-event indicators, such as stillbirth) are pooled over 36 months, " +
        "the window each cell names, and may also alert on a sequential test: a Poisson CUSUM of the group's monthly events " +
        "against the reference group's rate, designed for a doubling, with a threshold set by simulation so that with no " +
        "real gap an LMNS sees at most about one false alert a year.</li>" +
        "<li>Silence is not equity: each cell's details give the smallest ratio its window's counts could have alerted " +
        "(a gap that size is alerted about half the time), and a silent cell that could not have alerted a doubling " +
        "is marked “can't see 2×”.</li>" +
        $"<li>Disclosure control (MSDS rules): counts are shown as 0, {Disclosure.Suppressed} for 1 to {Disclosure.SmallNumberLimit}, otherwise rounded to the nearest 5; every rate, interval and ratio is computed from the rounded counts, " +
        $"and is not shown where a count it rests on is {Disclosure.Suppressed} " +
        $"(fewer than {Disclosure.SmallNumberLimit + 1} events).</li>" +
        "</ul></section>";

    private static void Fact(StringBuilder html, string term, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<dt>{EquityReportText.Escape(term)}</dt><dd>{EquityReportText.Escape(value)}</dd>");
}
