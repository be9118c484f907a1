using Pipeline.Core.Model;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics.Spc;
using static Pipeline.Core.Text.Reports.MonthlyChartFrame;

namespace Pipeline.Core.Text.Reports;

/// <summary>One shown month of a cumulative-events chart.</summary>
internal sealed record CumulativeMonth(Period Period, CumulativeEventsPoint Point);

/// <summary>
/// A rare outcome's group events counted up over the comparison's window against the number expected at the reference
/// group's rate, as they may be published: the running totals rounded to 5 (a running total of 1–7 is not drawn), the
/// reference rate from the rounded window totals (no chart when one of them is 1–7).
/// </summary>
internal sealed record CumulativeSeries(double ReferenceRate, IReadOnlyList<CumulativeMonth> Months, int HiddenMonths)
{
    public static CumulativeSeries? Publish(IReadOnlyList<ReportMonth> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        var (refEvents, refTotal) = (months.Sum(m => m.ReferenceNumerator), months.Sum(m => m.ReferenceDenominator));
        if (months.Count == 0 || !Disclosure.MayShow(refEvents, refTotal) || Disclosure.RoundCount(refTotal) == 0)
        {
            return null;
        }

        var rate = (double)Disclosure.RoundCount(refEvents) / Disclosure.RoundCount(refTotal);
        var (observed, exposure) = (0L, 0L);
        var shown = new List<(Period Period, long Observed, long Exposure)>();
        foreach (var m in months)
        {
            (observed, exposure) = (observed + m.Numerator, exposure + m.Denominator);
            if (Disclosure.MayShow(observed, exposure))
            {
                shown.Add((m.Period, Disclosure.RoundCount(observed), Disclosure.RoundCount(exposure)));
            }
        }

        var points = CumulativeEvents.Build([.. shown.Select(s => (s.Observed, s.Exposure))], rate);
        return new CumulativeSeries(rate, [.. shown.Select((s, i) => new CumulativeMonth(s.Period, points[i]))],
            months.Count - shown.Count);
    }

    /// <summary>The variation icon of the latest shown month: beyond the 99.8% range is a special cause.</summary>
    public VariationIcon? Variation(ReportIndicator indicator) => Months.Count == 0 ? null
        : Months[^1].Point.BeyondAlarm switch
        {
            1 => MdcIcons.Variation(SpecialCauseRule.OutsideLimits, SpecialCauseSide.High, indicator.Polarity),
            -1 => MdcIcons.Variation(SpecialCauseRule.OutsideLimits, SpecialCauseSide.Low, indicator.Polarity),
            _ => VariationIcon.CommonCause,
        };
}

/// <summary>
/// The rare-outcome chart (docs/report.md): running total of the group's events (line with points) against the running
/// number expected at the reference group's rate (solid line) and the 95% (dotted) and 99.8% (dashed) Poisson ranges
/// around it. A month above the 99.8% range is a larger diamond coloured as a concern (or improvement, by polarity).
/// </summary>
internal static class CumulativeEventsSvg
{
    public static string Render(CumulativeSeries series, ReportIndicator indicator, string groupLabel, string referenceLabel,
        string subject)
    {
        var months = series.Months;
        var first = months[0].Period;
        var span = Math.Max(1, months[^1].Period.MonthsSince(first));
        var x = new Scale(0, span, Left, Right, Log: false);
        var max = months.Max(p => Math.Max(p.Point.Observed, p.Point.Limits998.Upper));
        var y = new Scale(0, Math.Max(5, max * 1.08), Bottom, Top, Log: false);
        var last = months[^1].Point;
        var beyond = months.Count(p => p.Point.BeyondAlarm != 0);
        var label = $"Events counted up month by month, {groupLabel}, {subject}, {first} to {months[^1].Period}: by {months[^1].Period} " +
            $"{EquityReportText.Count(last.Observed)} events against {EquityReportText.Number(last.Expected, "0.0")} expected at the " +
            $"{referenceLabel} rate (99.8% range {EquityReportText.Number(last.Limits998.Lower, "0")} to "
                + $"{EquityReportText.Number(last.Limits998.Upper, "0")}); " +
            $"{beyond} month{EquityReportHtml.Plural(beyond)} outside the 99.8% range" +
            (series.HiddenMonths == 0 ? "." : $"; {series.HiddenMonths} month{EquityReportHtml.Plural(series.HiddenMonths)} not shown "
                + $"({Disclosure.RateHiddenReason}).");
        var svg = new Svg(Width, Height, "chart cumulative", label,
            "The line with points is the group's events counted up from the first month; the solid line is the number expected "
            + "at the reference group's rate; the dotted and dashed lines are the ranges the count stays within 95% and 99.8% of the time "
            + "when there is no gap.");

        foreach (var tick in ChartAxes.LinearTicks(0, y.DomainMax))
        {
            var ty = y.Map(tick);
            svg.Line(Left, ty, Right, ty, "grid").Text(Left - 8, ty + 4, EquityReportText.Number(tick, "0"), "tick", "end");
        }

        IEnumerable<(double, double)> Line(Func<CumulativeEventsPoint, double> value) =>
            months.Select(p => (x.Map(p.Period.MonthsSince(first)), y.Map(value(p.Point))));
        svg.Polyline(Line(p => p.Limits998.Upper), "limit upper").Polyline(Line(p => p.Limits998.Lower), "limit lower")
            .Polyline(Line(p => p.Limits95.Upper), "limit95 upper").Polyline(Line(p => p.Limits95.Lower), "limit95 lower")
            .Polyline(Line(p => p.Expected), "expected");
        svg.Polyline(Line(p => p.Observed), "series");
        foreach (var month in months)
        {
            var p = month.Point;
            var (px, py) = (x.Map(month.Period.MonthsSince(first)), y.Map(p.Observed));
            var tip = $"{month.Period}: {EquityReportText.Count(p.Observed)} events so far, "
                + $"{EquityReportText.Number(p.Expected, "0.0")} expected " +
                $"(99.8% range {EquityReportText.Number(p.Limits998.Lower, "0")}–{EquityReportText.Number(p.Limits998.Upper, "0")})";
            if (p.BeyondAlarm != 0)
            {
                var tone = MdcIcons.Tone(MdcIcons.Variation(SpecialCauseRule.OutsideLimits, (SpecialCauseSide)p.BeyondAlarm,
                    indicator.Polarity));
                svg.Diamond(px, py, 6.5, $"pt special {tone}", $"{tip}, outside the 99.8% range");
            }
            else
            {
                svg.Circle(px, py, 3, "pt", tip);
            }
        }

        ChartAxes.Months(svg, x, first, span, Bottom);
        svg.Text((Left + Right) / 2, Bottom + 40, "Month (events counted up from the first month shown)", "axis-label", "middle");
        return svg.ToString();
    }
}
