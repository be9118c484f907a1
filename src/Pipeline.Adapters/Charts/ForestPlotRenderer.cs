using Pipeline.Core.Alerts;
using Pipeline.Core.Text.AlertEmails;
using ScottPlot;

namespace Pipeline.Adapters.Charts;

/// <summary>
/// Draws a <see cref="ForestPlot"/> as a PNG with ScottPlot: one row per group, the ratio as a square and its 95% CI as a
/// horizontal line, on a log scale (ratios are plotted as log10 and the axis is labelled in ratio units) with a dashed
/// line at 1 (no difference). Alerts are red, watches amber.
/// </summary>
public static class ForestPlotRenderer
{
    public const int Width = 760;

    private static readonly double[] CandidateTicks = [0.1, 0.2, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 5, 10, 20];

    public static byte[] RenderPng(ForestPlot chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        using var plot = new Plot();
        var rows = chart.Rows;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = rows.Count - 1 - i;
            var colour = row.Severity == AlertSeverity.Alert ? new Color(200, 30, 30) : new Color(230, 140, 0);
            var ci = plot.Add.Line(Math.Log10(row.Lower), y, Math.Log10(row.Upper), y);
            ci.LineWidth = 2;
            ci.LineColor = colour;
            var point = plot.Add.Marker(Math.Log10(row.Ratio), y);
            point.MarkerShape = MarkerShape.FilledSquare;
            point.MarkerSize = 10;
            point.MarkerFillColor = colour;
            point.MarkerLineColor = colour;
        }

        var one = plot.Add.VerticalLine(0);
        one.LinePattern = LinePattern.Dashed;
        one.LineColor = Colors.Gray;

        var low = Math.Min(0.8, rows.Min(r => r.Lower)) / 1.15;
        var high = Math.Max(1.25, rows.Max(r => r.Upper)) * 1.15;
        var ticks = CandidateTicks.Where(t => t >= low && t <= high).ToArray();
        plot.Axes.Bottom.SetTicks([.. ticks.Select(Math.Log10)], [.. ticks.Select(t => t.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - 1 - i))], [.. rows.Select(r => r.Label)]);
        plot.Axes.SetLimits(Math.Log10(low), Math.Log10(high), -0.6, rows.Count - 0.4);
        plot.Title(chart.Title, size: 13);
        plot.XLabel("Ratio (log scale); dashed line at 1 = no difference", size: 12);
        return plot.GetImageBytes(Width, Height(rows.Count), ImageFormat.Png);
    }

    public static int Height(int rows) => 120 + (34 * Math.Max(rows, 1));
}
