using System.Globalization;
using System.Text;
using Pipeline.Core.Detection;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>The report's funnel plots and its plain-language glossary (docs/report.md).</summary>
internal static class ReportSections
{
    /// <summary>
    /// One funnel plot per group with a firing ratio, SPC or CUSUM signal (an indicator and group, whichever organisation
    /// fired): where do the LMNS's trusts sit for that group? Alerts first; groups with watches only are one click away.
    /// </summary>
    public static string Funnels(EquityReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = new StringBuilder("<section aria-labelledby=\"funnel-h\"><h2 id=\"funnel-h\">How the trusts compare: funnel plots</h2>");
        var keys = model.Alerts.Where(a => a.Rule != SignalRule.Gradient)
            .GroupBy(a => (a.IndicatorCode, a.Breakdown, a.GroupCode))
            .Select(g => (g.Key, Alert: g.Any(a => a.Severity == Signal.Alert)))
            .ToList();
        if (keys.Count == 0)
        {
            return html.Append("<p>No group has a firing signal, so there is nothing to compare across trusts.</p></section>").ToString();
        }

        html.Append("<p>For each group with a firing signal: every trust's rate for that group over the window, against the rate for the ")
            .Append("group across the whole LMNS. The further right a trust, the more women or babies it counts, and the narrower the ")
            .Append("funnel: a small trust's rate moves a lot by chance. A trust outside the dashed 99.8% limits is unlikely to differ ")
            .Append("by chance alone; outside the dotted 95% limits, possibly. Trusts whose counts are 1 to 7 are not plotted, to ")
            .Append("protect confidentiality; the table says which.</p>");
        foreach (var key in keys.Where(k => k.Alert))
        {
            html.Append(Funnel(model, key.Key.IndicatorCode, key.Key.Breakdown, key.Key.GroupCode));
        }

        var watches = keys.Where(k => !k.Alert).ToList();
        if (watches.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<details class=\"more\"><summary>Groups with watches only "
                + $"({watches.Count})</summary>");
            foreach (var key in watches)
            {
                html.Append(Funnel(model, key.Key.IndicatorCode, key.Key.Breakdown, key.Key.GroupCode));
            }

            html.Append("</details>");
        }

        return html.Append("</section>").ToString();
    }

    private static string Funnel(EquityReportModel model, string indicatorCode, ComparisonBreakdown breakdown, string groupCode)
    {
        var indicator = model.Indicators.First(i => i.Code == indicatorCode);
        var group = EquityReportText.GroupLabel(breakdown, groupCode);
        var heading = $"<h3>{EquityReportText.Escape($"{indicator.Name} — {group}")}</h3>";
        if (FunnelData.Publish(model, indicatorCode, breakdown, groupCode) is not { } data)
        {
            return $"{heading}<p class=\"hint\">No funnel plot: the LMNS's own count for this group is too small to publish, or "
                + $"missing.</p>";
        }

        if (data.Trusts.All(t => t.Proportion is null))
        {
            return $"{heading}<p class=\"hint\">No funnel plot: no trust's figures for this group can be plotted (see the table).</p>" +
                FunnelPlotSvg.Table(data, indicator, group);
        }

        var window = model.Comparisons.FirstOrDefault(c => c.Level == model.Organisations[0].Level
            && c.OrganisationCode == model.Organisations[0].Code
            && c.IndicatorCode == indicatorCode && c.Breakdown == breakdown && c.GroupCode == groupCode)?.WindowMonths ?? 12;
        var caption = $"{group}, {EquityReportText.WindowLength(window)}: solid line, the LMNS rate; dotted, 95% limits; "
            + "dashed, 99.8% limits. Labels are trust codes.";
        return $"{heading}<figure class=\"funnel-figure\">{FunnelPlotSvg.Render(data, indicator, group, model.LmnsName, window)}" +
            $"<figcaption>{EquityReportText.Escape(caption)}</figcaption></figure>" +
            FunnelPlotSvg.Table(data, indicator, group);
    }

    /// <summary>The terms the report uses, in short sentences for a reader who is not a statistician.</summary>
    public static readonly IReadOnlyList<(string Term, string Id, string Meaning)> Terms =
    [
        ("Rate ratio", "rate-ratio", "A group's rate divided by the reference group's rate (White women, or the least deprived fifth). "
            + "1 means the same; 2 means twice as common; 0.5 means half as common."),
        ("Confidence interval", "ci", "The range the true value probably lies in, given how many women or babies were counted. "
            + "A 95% interval misses the true value 1 time in 20; a 99.8% interval 1 time in 500."),
        ("Wilson interval", "wilson", "The way we work out a rate's confidence interval. It stays sensible for small numbers: it never "
            + "goes below 0 or above 100%."),
        ("Watch and alert", "watch-alert", "A watch means a gap is probably real (its 95% interval excludes no difference), or the monthly "
            + "chart shows an unusual pattern. An alert is stronger: the 99.8% interval excludes no difference, the gap is at least a "
            + "quarter, and each group had at least 5 events. Look at alerts first; keep an eye on watches."),
        ("SII (slope index of inequality)", "sii", "The gap between the most and least deprived women, read from a straight line fitted "
            + "across all five deprivation groups, in the indicator's own units (percentage points or per 1,000)."),
        ("RII (relative index of inequality)", "rii", "The same line as the SII, as a ratio: how many times higher the rate is at the most "
            + "deprived end than at the least deprived end. Above 1 means the most deprived fare worse."),
        ("CUSUM", "cusum", "A running total that adds up, month by month, how far a group's events exceed what the reference rate would "
            + "give. It catches a rare outcome slowly building up that no single month shows. When it crosses its threshold it alerts."),
        ("Minimum detectable ratio", "mdr", "The smallest gap the data could have picked up. If it is above 2, even a doubling could go "
            + "unnoticed: no signal there means too few events to tell, not that there is no gap."),
        ("p-chart", "p-chart", "A chart of a rate month by month (statistical process control). The centre line is the usual rate; the "
            + "limits show how far it moves by chance and are wider in months with fewer women. A point outside them, or 7 in a row on "
            + "one side, is a special cause worth looking into."),
        ("Special cause and common cause", "special-cause", "Common cause is the everyday ups and downs of a rate. A special cause is a "
            + "change too large or too lasting to be chance. It is one of: a point outside the limits; 7 points in a row above or "
            + "below the centre; 7 points each rising or each falling; 2 of 3 points close to a limit."),
        ("Making Data Count icons", "mdc-icons", "Round icons from NHS England's Making Data Count. Variation: grey means common cause; "
            + "blue means a special cause that is an improvement; orange a special cause that is a concern; purple a change on an "
            + "indicator with no better or worse direction (it differs). H and L say whether the latest month is high or low. "
            + "Assurance compares the group with the reference group's rate: P consistently better, F consistently worse, "
            + "? hit and miss."),
        ("Funnel plot", "funnel", "A chart that compares trusts fairly: each trust's rate against the LMNS rate, with limits that are "
            + "wide for small trusts and narrow for big ones. A trust outside the limits is unlikely to differ by chance alone."),
        ("Events counted up (rare outcomes)", "cumulative", "For rare outcomes such as stillbirth, each month has too few events to chart "
            + "or publish. Instead we add the group's events up month by month and compare them with the number expected at the "
            + "reference group's rate. A line climbing above the dashed limit means more events than chance would explain."),
        ("Suppressed counts (*)", "suppressed", "Counts from 1 to 7 are shown as * and other counts rounded to the nearest 5, so no "
            + "one can be identified. Anything that would give a small count away is left out of the charts."),
    ];

    public static string Glossary()
    {
        var html = new StringBuilder("<section aria-labelledby=\"glossary-h\"><h2 id=\"glossary-h\">Glossary: the words in this "
            + "report</h2><dl class=\"glossary\">");
        foreach (var (term, id, meaning) in Terms)
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt "
                + $"id=\"term-{id}\">{EquityReportText.Escape(term)}</dt><dd>{EquityReportText.Escape(meaning)}</dd>");
        }

        return html.Append("</dl></section>").ToString();
    }
}
