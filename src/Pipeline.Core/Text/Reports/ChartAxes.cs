using Pipeline.Core.Model;

namespace Pipeline.Core.Text.Reports;

/// <summary>Axis helpers shared by the rate, cumulative-events and funnel charts.</summary>
internal static class ChartAxes
{
    /// <summary>1-2-5 ticks covering [min, max], about five of them.</summary>
    public static IReadOnlyList<double> LinearTicks(double min, double max)
    {
        if (!(max > min))
        {
            return [min];
        }

        var raw = (max - min) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 5, 10 }.Select(s => s * magnitude).First(s => s >= raw);
        var start = Math.Ceiling(min / step) * step;
        return [.. Enumerable.Range(0, (int)Math.Floor(((max - start) / step) + 1e-9) + 1).Select(i => Math.Round(start + (i * step), 10))];
    }

    /// <summary>Month ticks along the bottom of a monthly chart (every month up to a year, then every 3 or 6).</summary>
    public static void Months(Svg svg, Scale x, Period first, int span, double bottom)
    {
        svg.Line(x.RangeMin, bottom, x.RangeMax, bottom, "axis");
        var step = span <= 12 ? 1 : span <= 24 ? 3 : 6;
        for (var m = 0; m <= span; m += step)
        {
            var tx = x.Map(m);
            svg.Line(tx, bottom, tx, bottom + 5, "axis").Text(tx, bottom + 18, first.AddMonths(m).ToString(), "tick", "middle");
        }
    }

    /// <summary>Runs of consecutive months, so a line is not drawn across a month that is not shown.</summary>
    public static IEnumerable<List<T>> Consecutive<T>(IReadOnlyList<T> items, Func<T, Period> period)
    {
        var run = new List<T>();
        foreach (var item in items)
        {
            if (run.Count > 0 && period(item).MonthsSince(period(run[^1])) != 1)
            {
                yield return run;
                run = [];
            }

            run.Add(item);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
