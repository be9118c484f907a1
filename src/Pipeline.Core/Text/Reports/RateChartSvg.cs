using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics.Spc;
using static Pipeline.Core.Text.Reports.MonthlyChartFrame;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// A group's monthly rate on a Making Data Count p-chart: the months joined by a line, the baseline centre line, and the
/// binomial process limits drawn as steps (each month's limits depend on its denominator; never below 0 or above 100% /
/// 1,000). Special-cause months are larger diamonds coloured by what they mean for the indicator: blue improvement, orange
/// concern, purple a difference on a neutral indicator.
/// </summary>
internal static class RateChartSvg
{
    public static string Render(RateSeries series, ReportIndicator indicator, string subject)
    {
        var m = indicator.Multiplier;
        var unit = EquityReportText.PerThousand(indicator) ? " per 1,000" : "%";
        string Show(double proportion) => $"{EquityReportText.Number(proportion * m, "0.0")}{unit}";
        var months = series.Months;
        var first = months[0].Period;
        var span = Math.Max(1, months[^1].Period.MonthsSince(first));
        var x = new Scale(0, span, Left, Right, Log: false);
        var values = months.Select(p => p.Numerator * (double)m / p.Denominator).ToList();
        values.AddRange(months.Where(p => p.Point is not null).SelectMany(p => new[] { p.Point!.LowerLimit * m, p.Point.UpperLimit * m }));
        var (min, max) = (values.Min(), values.Max());
        var pad = Math.Max((max - min) * 0.08, m * 0.002);
        var y = new Scale(Math.Max(0, min - pad), Math.Min(m, max + pad), Bottom, Top, Log: false);

        var specials = months.Where(p => p.Point is { IsSpecialCause: true }).ToList();
        var limitsText = series.Centre is { } centre
            ? $"centre line {Show(centre)} (the first 12 months), limits from "
                + $"{Show(months.Where(p => p.Point is not null).Min(p => p.Point!.LowerLimit))} " +
              $"to {Show(months.Where(p => p.Point is not null).Max(p => p.Point!.UpperLimit))} depending on the month's size"
            : series.NoLimitsReason ?? "no limits";
        var specialText = specials.Count == 0 ? "no special-cause months"
            : $"{specials.Count} special-cause month{EquityReportHtml.Plural(specials.Count)}, the latest {specials[^1].Period} " +
              $"({TrendChartSvg.RuleText(specials[^1].Point!.Rule)}, {Meaning(specials[^1].Point!, indicator)})";
        var hiddenText = series.HiddenMonths == 0 ? string.Empty
            : $"; {series.HiddenMonths} month{EquityReportHtml.Plural(series.HiddenMonths)} not shown "
                + $"({Publishing.Disclosure.RateHiddenReason})";
        var label = $"Monthly rate p-chart, {series.GroupLabel}, {subject}, {first} to {months[^1].Period}: {limitsText}; "
            + $"{specialText}{hiddenText}.";
        var svg = new Svg(Width, Height, $"chart pchart{(series.IsReference ? " reference" : " group")}", label,
            "Each point is one month's rate. The solid line is the centre line; the dashed steps are the 3-sigma binomial limits, "
            + "wider in smaller months. Larger diamonds mark special-cause months: blue improvement, orange concern, purple differs.");

        foreach (var tick in ChartAxes.LinearTicks(y.DomainMin, y.DomainMax))
        {
            var ty = y.Map(tick);
            svg.Line(Left, ty, Right, ty, "grid").Text(Left - 8, ty + 4, EquityReportText.Number(tick, "0.#"), "tick", "end");
        }

        var half = (Right - Left) / span / 2;
        if (series.Centre is { } mean)
        {
            svg.Line(Left, y.Map(mean * m), Right, y.Map(mean * m), "mean");
            foreach (var run in ChartAxes.Consecutive(months.Where(p => p.Point is not null).ToList(), p => p.Period))
            {
                svg.Polyline(Steps(run, p => p.Point!.UpperLimit * m), "limit upper").Polyline(Steps(run, p => p.Point!.LowerLimit * m),
                    "limit lower");
            }
        }

        foreach (var run in ChartAxes.Consecutive(months, p => p.Period))
        {
            svg.Polyline(run.Select(p => (x.Map(p.Period.MonthsSince(first)), y.Map(p.Numerator * (double)m / p.Denominator))), "series");
        }

        foreach (var p in months)
        {
            var value = p.Numerator * (double)m / p.Denominator;
            var (px, py) = (x.Map(p.Period.MonthsSince(first)), y.Map(value));
            var tip = $"{p.Period}: {Show(value / m)} ({EquityReportText.Counts(p.Numerator, p.Denominator)})" +
                (p.Point is { IsSpecialCause: true } s ? $", special cause: {TrendChartSvg.RuleText(s.Rule)}, {Meaning(s, indicator)}"
                    : string.Empty);
            _ = p.Point is { IsSpecialCause: true } special
                ? svg.Diamond(px, py, 6.5, $"pt special "
                    + $"{MdcIcons.Tone(MdcIcons.Variation(special.Rule, special.Side, indicator.Polarity))}", tip)
                : svg.Circle(px, py, 3, "pt", tip);
        }

        ChartAxes.Months(svg, x, first, span, Bottom);
        svg.Text((Left + Right) / 2, Bottom + 40, $"Month "
            + $"({(EquityReportText.PerThousand(indicator) ? "rate per 1,000" : "percentage")})", "axis-label", "middle");
        return svg.ToString();

        IEnumerable<(double X, double Y)> Steps(List<RateMonth> run, Func<RateMonth, double> limit) =>
            run.SelectMany(p =>
            {
                var cx = x.Map(p.Period.MonthsSince(first));
                var ly = y.Map(limit(p));
                return new[] { (Math.Max(Left, cx - half), ly), (Math.Min(Right, cx + half), ly) };
            });
    }

    /// <summary>"concern", "improvement" or "differs": what a special cause means for this indicator.</summary>
    public static string Meaning(PChartPoint point, ReportIndicator indicator) =>
        MdcIcons.Tone(MdcIcons.Variation(point.Rule, point.Side, indicator.Polarity)) switch
        {
            "improvement" => "improvement",
            "concern" => "concern",
            _ => "differs",
        };
}
