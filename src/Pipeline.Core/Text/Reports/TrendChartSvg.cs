using Pipeline.Core.Statistics.Spc;
using Pipeline.Core.Reporting;
using static Pipeline.Core.Text.Reports.MonthlyChartFrame;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// The Making Data Count chart of a firing signal's monthly series: the points joined by a line, the mean, the process
/// limits (dashed), and special-cause points drawn larger and as diamonds (shape as well as colour). ln(RR) series are
/// labelled as ratios.
/// </summary>
internal static class TrendChartSvg
{
    public static string Render(ReportTrend trend, string subject)
    {
        var points = trend.Points;
        var first = points[0].Period;
        var span = Math.Max(1, points[^1].Period.MonthsSince(first));
        var x = new Scale(0, span, Left, Right, Log: false);
        var values = points.Select(p => p.Value).ToList();
        if (trend.Limits is { } lim)
        {
            values.AddRange([lim.LowerProcessLimit, lim.UpperProcessLimit]);
        }

        var (min, max) = (values.Min(), values.Max());
        var pad = Math.Max((max - min) * 0.08, 0.05);
        var y = new Scale(min - pad, max + pad, Bottom, Top, Log: false);
        var isRatio = trend.Measure == TrendMeasure.LogRateRatio;
        string Show(double v) => isRatio ? EquityReportText.Ratio(Math.Exp(v)) : EquityReportText.Number(v, "0.0");

        var specials = points.Where(p => p.SpecialCause != SpecialCauseRule.None).ToList();
        var limitsText = trend.Limits is { } l
            ? $"mean {Show(l.Mean)}, process limits {Show(l.LowerProcessLimit)} to {Show(l.UpperProcessLimit)}"
            : "too few months for process limits";
        var latestSpecial = specials.Count == 0 ? "no special-cause points" : $"{specials.Count} special-cause point{(specials.Count == 1 ? string.Empty : "s")}, the latest {specials[^1].Period} ({RuleText(specials[^1].SpecialCause)})";
        var measure = isRatio ? "rate ratio" : "value";
        var label = $"Monthly {measure} with SPC limits, {subject}, {first} to {points[^1].Period}: {limitsText}; {latestSpecial}.";
        var svg = new Svg(Width, Height, "chart trend", label,
            "Each point is one month. The solid line is the mean, the dashed lines the process limits fixed on the first 12 months; larger diamonds mark special-cause points.");

        foreach (var tick in Ticks(y.DomainMin, y.DomainMax, isRatio))
        {
            var ty = y.Map(tick);
            svg.Line(Left, ty, Right, ty, "grid").Text(Left - 8, ty + 4, Show(tick), "tick", "end");
        }

        if (isRatio && y.DomainMin < 0 && y.DomainMax > 0)
        {
            svg.Line(Left, y.Map(0), Right, y.Map(0), "ref-line");
        }

        if (trend.Limits is { } limits)
        {
            svg.Line(Left, y.Map(limits.Mean), Right, y.Map(limits.Mean), "mean")
                .Line(Left, y.Map(limits.UpperProcessLimit), Right, y.Map(limits.UpperProcessLimit), "limit")
                .Line(Left, y.Map(limits.LowerProcessLimit), Right, y.Map(limits.LowerProcessLimit), "limit")
                .Text(Right, y.Map(limits.UpperProcessLimit) - 4, $"upper limit {Show(limits.UpperProcessLimit)}", "limit-label", "end")
                .Text(Right, y.Map(limits.LowerProcessLimit) + 12, $"lower limit {Show(limits.LowerProcessLimit)}", "limit-label", "end");
        }

        svg.Polyline(points.Select(p => (x.Map(p.Period.MonthsSince(first)), y.Map(p.Value))), "series");
        foreach (var p in points)
        {
            var (px, py) = (x.Map(p.Period.MonthsSince(first)), y.Map(p.Value));
            var tip = $"{p.Period}: {measure} {Show(p.Value)}{(p.SpecialCause == SpecialCauseRule.None ? string.Empty : $", special cause: {RuleText(p.SpecialCause)}")}";
            _ = p.SpecialCause == SpecialCauseRule.None ? svg.Circle(px, py, 3, "pt", tip) : svg.Diamond(px, py, 6.5, "pt special", tip);
        }

        svg.Line(Left, Bottom, Right, Bottom, "axis");
        var step = span <= 12 ? 1 : span <= 24 ? 3 : 6;
        for (var m = 0; m <= span; m += step)
        {
            var tx = x.Map(m);
            svg.Line(tx, Bottom, tx, Bottom + 5, "axis").Text(tx, Bottom + 18, first.AddMonths(m).ToString(), "tick", "middle");
        }

        svg.Text((Left + Right) / 2, Bottom + 40, isRatio ? "Month (rate ratio vs reference, log scale)" : "Month", "axis-label", "middle");
        return svg.ToString();
    }

    public static string RuleText(SpecialCauseRule rule) => rule switch
    {
        SpecialCauseRule.OutsideLimits => "outside the process limits",
        SpecialCauseRule.Trend => "7 points rising or falling",
        SpecialCauseRule.TwoOfThree => "2 of 3 points near a limit",
        SpecialCauseRule.Shift => "7 points on one side of the mean",
        _ => "common cause",
    };

    /// <summary>Ratio ticks on a ln scale, or 1-2-5 ticks on a linear one.</summary>
    private static IEnumerable<double> Ticks(double min, double max, bool logRatio)
    {
        if (logRatio)
        {
            return Scale.RatioTicks(Math.Exp(min), Math.Exp(max)).Select(t => Math.Log(t));
        }

        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(s => s * magnitude).First(s => s >= raw);
        var start = Math.Ceiling(min / step) * step;
        return Enumerable.Range(0, (int)Math.Floor((max - start) / step) + 1).Select(i => start + (i * step));
    }
}
