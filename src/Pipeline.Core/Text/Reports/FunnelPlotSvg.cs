using System.Globalization;
using System.Text;
using Pipeline.Core.Detection;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Text.Reports;

/// <summary>One trust on a funnel plot: its published (rounded) counts, or why it is not plotted.</summary>
internal sealed record FunnelTrust(ReportOrganisation Trust, long? Numerator, long? Denominator, string? NotPlotted)
{
    public double? Proportion => Numerator is { } x && Denominator is { } n && n > 0 ? (double)x / n : null;
}

/// <summary>
/// A funnel plot's figures as they may be published (docs/disclosure.md): the LMNS's rate for the group from its rounded
/// window counts (the centre line), and each trust's rate from its rounded counts; a trust whose count is 1–7 is not
/// plotted and is named as such. Limits are PHE's proportion funnel (<see cref="FunnelLimits.Proportion"/>; Spiegelhalter
/// 2005): centre ± z·√(centre(1 − centre)/n) at 95% and 99.8%, clipped to [0, 1].
/// </summary>
internal sealed record FunnelData(double Centre, IReadOnlyList<FunnelTrust> Trusts)
{
    public static FunnelData? Publish(EquityReportModel model, string indicatorCode, ComparisonBreakdown breakdown, string groupCode)
    {
        ArgumentNullException.ThrowIfNull(model);
        ReportComparison? Row(ReportOrganisation o) => model.Comparisons.FirstOrDefault(c => c.Level == o.Level
            && c.OrganisationCode == o.Code
            && c.IndicatorCode == indicatorCode && c.Breakdown == breakdown && c.GroupCode == groupCode);
        if (Row(model.Organisations[0]) is not { } lmns || !Disclosure.MayShow(lmns.Numerator, lmns.Denominator)
            || Disclosure.RoundCount(lmns.Denominator) == 0)
        {
            return null;
        }

        var centre = (double)Disclosure.RoundCount(lmns.Numerator) / Disclosure.RoundCount(lmns.Denominator);
        var trusts = model.Organisations.Skip(1).Select(t => Row(t) switch
        {
            null => new FunnelTrust(t, null, null, "no data for this group"),
            { } r when !Disclosure.MayShow(r.Numerator, r.Denominator) => new FunnelTrust(t, null, null,
                $"{Disclosure.RateHiddenReason}: not plotted"),
            { } r when Disclosure.RoundCount(r.Denominator) == 0 => new FunnelTrust(t, null, null, "no denominator"),
            { } r => new FunnelTrust(t, Disclosure.RoundCount(r.Numerator), Disclosure.RoundCount(r.Denominator), null),
        }).ToList();
        return new FunnelData(centre, trusts);
    }

    /// <summary>Where a plotted trust sits against the funnel (PHE's labels).</summary>
    public static FunnelSignificance Position(FunnelTrust trust, double centre) =>
        FunnelLimits.ProportionSignificance(trust.Numerator!.Value, trust.Denominator!.Value, centre);
}

/// <summary>
/// The funnel plot of one group's rate across the LMNS's trusts: x the trust's denominator (women or babies in the
/// window), y its rate; the LMNS rate as the centre line; 95% (dotted) and 99.8% (dashed) limits that narrow as trusts
/// get larger. Each plotted trust is labelled with its code; the table after the chart names it and gives its figures.
/// </summary>
internal static class FunnelPlotSvg
{
    private const double Width = 760;
    private const double Height = 300;
    private const double Left = 64;
    private const double Right = 716;
    private const double Top = 14;
    private const double Bottom = 246;

    public static string Render(FunnelData data, ReportIndicator indicator, string groupLabel, string lmnsName, int windowMonths)
    {
        var m = indicator.Multiplier;
        var unit = EquityReportText.PerThousand(indicator) ? " per 1,000" : "%";
        string Show(double proportion) => $"{EquityReportText.Number(proportion * m, "0.0")}{unit}";
        var plotted = data.Trusts.Where(t => t.Proportion is not null).ToList();
        var maxN = Math.Max(10, plotted.Count == 0 ? 10 : plotted.Max(t => t.Denominator!.Value)) * 1.1;
        var minN = Math.Max(1, plotted.Count == 0 ? 1 : plotted.Min(t => t.Denominator!.Value) * 0.5);
        var x = new Scale(0, maxN, Left, Right, Log: false);
        var edge = FunnelLimits.Proportion(data.Centre, minN, Confidence.Alarm);
        var values = plotted.Select(t => t.Proportion!.Value).Append(data.Centre).Append(edge.Lower).Append(edge.Upper).ToList();
        var pad = Math.Max((values.Max() - values.Min()) * 0.06, 0.002);
        var y = new Scale(Math.Max(0, values.Min() - pad) * m, Math.Min(1, values.Max() + pad) * m, Bottom, Top, Log: false);

        var outside = plotted.Where(t => FunnelData.Position(t,
            data.Centre) is FunnelSignificance.High0001 or FunnelSignificance.Low0001).ToList();
        var hidden = data.Trusts.Count - plotted.Count;
        var label = $"Funnel plot, {groupLabel}, {indicator.Name}: {plotted.Count} trust{EquityReportHtml.Plural(plotted.Count)} of "
            + $"{lmnsName} "
            + $"against the LMNS rate {Show(data.Centre)}; {outside.Count} outside the 99.8% limits"
            + (outside.Count == 0 ? string.Empty : $" ({string.Join(", ", outside.Select(t => t.Trust.Code))})")
            + (hidden == 0 ? "." : $"; {hidden} not plotted (see the table).");
        var svg = new Svg(Width, Height, "chart funnel", label,
            $"Each point is a trust's {EquityReportText.WindowLength(windowMonths)} rate for the group, placed by how many women or babies "
            + "it counts. The solid line is the LMNS rate; the dotted and dashed curves are the 95% and 99.8% limits, inside which a "
                + "trust's "
            + "rate would fall by chance alone.");

        foreach (var tick in ChartAxes.LinearTicks(y.DomainMin, y.DomainMax))
        {
            var ty = y.Map(tick);
            svg.Line(Left, ty, Right, ty, "grid").Text(Left - 8, ty + 4, EquityReportText.Number(tick, "0.#"), "tick", "end");
        }

        var ns = Enumerable.Range(0, 81).Select(i => minN + ((maxN - minN) * i / 80.0)).ToList();
        foreach (var (confidence, css) in new[] { (Confidence.Warning, "funnel95"), (Confidence.Alarm, "funnel998") })
        {
            var limits = ns.Select(n => (N: n, L: FunnelLimits.Proportion(data.Centre, n, confidence))).ToList();
            svg.Polyline(limits.Select(l => (x.Map(l.N), y.Map(l.L.Upper * m))), $"{css} upper")
                .Polyline(limits.Select(l => (x.Map(l.N), y.Map(l.L.Lower * m))), $"{css} lower");
        }

        svg.Line(Left, y.Map(data.Centre * m), Right, y.Map(data.Centre * m), "mean");
        foreach (var trust in plotted)
        {
            var (px, py) = (x.Map(trust.Denominator!.Value), y.Map(trust.Proportion!.Value * m));
            var position = FunnelData.Position(trust, data.Centre);
            var tip = $"{trust.Trust.Name} ({trust.Trust.Code}): {Show(trust.Proportion.Value)}, "
                + $"{EquityReportText.Counts(trust.Numerator!.Value, trust.Denominator.Value)}; {PositionText(position)}";
            var tone = Tone(position, indicator.Polarity);
            _ = position is FunnelSignificance.High0001 or FunnelSignificance.Low0001 ? svg.Diamond(px, py, 6.5,
                $"pt funnel-pt special {tone}", tip)
                : position is FunnelSignificance.NotSignificant ? svg.Circle(px, py, 4, "pt funnel-pt", tip)
                : svg.Square(px, py, 4, $"pt funnel-pt {tone}", tip);
            svg.Text(px + 8, py - 6, trust.Trust.Code, "funnel-label");
        }

        svg.Line(Left, Bottom, Right, Bottom, "axis");
        foreach (var tick in ChartAxes.LinearTicks(0, maxN))
        {
            svg.Line(x.Map(tick), Bottom, x.Map(tick), Bottom + 5, "axis").Text(x.Map(tick), Bottom + 18, tick.ToString("N0",
                CultureInfo.InvariantCulture), "tick", "middle");
        }

        svg.Text((Left + Right) / 2, Bottom + 40 - 4, "Women or babies in the window (denominator)", "axis-label", "middle");
        return svg.ToString();
    }

    /// <summary>The table beside the plot: every trust, its figures or why it is not plotted, and where it sits.</summary>
    public static string Table(FunnelData data, ReportIndicator indicator, string groupLabel)
    {
        var unit = EquityReportText.PerThousand(indicator) ? " per 1,000" : "%";
        var html = new StringBuilder("<div class=\"table-wrap\"><table class=\"data funnel-table\">");
        html.Append(CultureInfo.InvariantCulture,
            $"<caption>{EquityReportText.Escape($"{groupLabel}: each trust against the LMNS rate")}</caption>")
            .Append("<thead><tr><th scope=\"col\">Label</th><th scope=\"col\">Trust</th><th scope=\"col\">Rate</th><th "
                + "scope=\"col\">Counts</th>")
            .Append("<th scope=\"col\">Against the funnel</th></tr></thead><tbody>");
        foreach (var t in data.Trusts)
        {
            var rate = t.Proportion is { } p ? $"{EquityReportText.Number(p * indicator.Multiplier, "0.0")}{unit}" : "not shown";
            var counts = t.Numerator is { } x && t.Denominator is { } n ? EquityReportText.Counts(x, n) : "–";
            var where = t.NotPlotted ?? PositionText(FunnelData.Position(t, data.Centre));
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{EquityReportText.Escape(t.Trust.Code)}</td><th "
                + $"scope=\"row\">{EquityReportText.Escape(t.Trust.Name)}</th>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">{EquityReportText.Escape(rate)}</td><td "
                    + $"class=\"num\">{EquityReportText.Escape(counts)}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{EquityReportText.Escape(where)}</td></tr>");
        }

        return html.Append("</tbody></table></div>").ToString();
    }

    private static string PositionText(FunnelSignificance position) => position switch
    {
        FunnelSignificance.High0001 => "above the 99.8% limit",
        FunnelSignificance.High0025 => "above the 95% limit",
        FunnelSignificance.Low0001 => "below the 99.8% limit",
        FunnelSignificance.Low0025 => "below the 95% limit",
        _ => "within the limits",
    };

    private static string Tone(FunnelSignificance position, Polarity polarity)
    {
        var high = position is FunnelSignificance.High0001 or FunnelSignificance.High0025;
        return polarity switch
        {
            Polarity.HigherIsWorse => high ? "concern" : "improvement",
            Polarity.HigherIsBetter => high ? "improvement" : "concern",
            _ => "neutral",
        };
    }
}
