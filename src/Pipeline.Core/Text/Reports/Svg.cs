using System.Globalization;
using System.Text;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// A tiny inline-SVG writer: the report draws a few simple charts, so shapes, text and scales are written directly
/// (no charting package, nothing fetched at view time). Coordinates are rounded to 0.1 px so output is stable.
/// Styling is by class, from the page's stylesheet.
/// </summary>
internal sealed class Svg
{
    private readonly StringBuilder _body = new();
    private readonly string _open;

    /// <param name="label">The chart's text alternative: the <c>aria-label</c> and <c>&lt;title&gt;</c>.</param>
    /// <param name="description">A longer description for assistive technology (<c>&lt;desc&gt;</c>).</param>
    public Svg(double width, double height, string cssClass, string label, string description)
    {
        var w = F(width);
        var h = F(height);
        _open = $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{cssClass}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" " +
            $"aria-label=\"{EquityReportText.Escape(label)}\"><title>{EquityReportText.Escape(label)}</title><desc>{EquityReportText.Escape(description)}</desc>";
    }

    public static string F(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);

    public Svg Line(double x1, double y1, double x2, double y2, string cssClass)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<line class=\"{cssClass}\" x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\"/>");
        return this;
    }

    public Svg Circle(double cx, double cy, double r, string cssClass, string? tooltip = null) =>
        Shape("circle", $"cx=\"{F(cx)}\" cy=\"{F(cy)}\" r=\"{F(r)}\"", cssClass, tooltip);

    /// <summary>A diamond (a rotated square) centred on a point: the marker of an alert, distinct in shape from a watch's circle.</summary>
    public Svg Diamond(double cx, double cy, double r, string cssClass, string? tooltip = null) =>
        Shape("path", $"d=\"M{F(cx)} {F(cy - r)}L{F(cx + r)} {F(cy)}L{F(cx)} {F(cy + r)}L{F(cx - r)} {F(cy)}Z\"", cssClass, tooltip);

    public Svg Square(double cx, double cy, double r, string cssClass, string? tooltip = null) =>
        Shape("rect", $"x=\"{F(cx - r)}\" y=\"{F(cy - r)}\" width=\"{F(2 * r)}\" height=\"{F(2 * r)}\"", cssClass, tooltip);

    public Svg Polyline(IEnumerable<(double X, double Y)> points, string cssClass)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<polyline class=\"{cssClass}\" points=\"{string.Join(' ', points.Select(p => $"{F(p.X)},{F(p.Y)}"))}\"/>");
        return this;
    }

    /// <param name="anchor">start, middle or end.</param>
    public Svg Text(double x, double y, string text, string cssClass, string anchor = "start")
    {
        _body.Append(CultureInfo.InvariantCulture, $"<text class=\"{cssClass}\" x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\">{EquityReportText.Escape(text)}</text>");
        return this;
    }

    public override string ToString() => $"{_open}{_body}</svg>";

    /// <summary>A marker, with a hover tooltip holding its numbers when given.</summary>
    private Svg Shape(string element, string geometry, string cssClass, string? tooltip)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<{element} class=\"{cssClass}\" {geometry}");
        _body.Append(tooltip is null ? "/>" : $"><title>{EquityReportText.Escape(tooltip)}</title></{element}>");
        return this;
    }
}

/// <summary>Maps a data interval onto a pixel interval, linearly or on a log scale (ratios).</summary>
internal readonly record struct Scale(double DomainMin, double DomainMax, double RangeMin, double RangeMax, bool Log)
{
    public double Map(double value)
    {
        var (v, lo, hi) = Log ? (Math.Log(value), Math.Log(DomainMin), Math.Log(DomainMax)) : (value, DomainMin, DomainMax);
        var t = hi == lo ? 0.5 : (v - lo) / (hi - lo);
        return RangeMin + (Math.Clamp(t, 0, 1) * (RangeMax - RangeMin));
    }

    /// <summary>
    /// Ratio ticks a reader knows inside a log domain: the coarsest tier (0.5, 1, 2 …) refined with 0.8 and 1.25, then with
    /// tenths, until there are at least three ticks, but never more than eight.
    /// </summary>
    public static IReadOnlyList<double> RatioTicks(double min, double max)
    {
        double[][] tiers =
        [
            [0.1, 0.2, 0.5, 1, 2, 5, 10, 20],
            [0.05, 0.1, 0.2, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 5, 10, 20],
            [0.05, 0.1, 0.2, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 2, 3, 4, 5, 10, 20],
        ];
        IReadOnlyList<double> best = [];
        foreach (var tier in tiers)
        {
            var inside = tier.Where(c => c >= min * 0.999 && c <= max * 1.001).ToList();
            if (inside.Count > 8)
            {
                break;
            }

            best = inside;
            if (inside.Count >= 3)
            {
                break;
            }
        }

        return best;
    }

    /// <summary>A log domain around the given ratios (and 1), widened a little and kept within 1/20–20.</summary>
    public static (double Min, double Max) RatioDomain(IEnumerable<double> ratios)
    {
        var finite = ratios.Where(r => double.IsFinite(r) && r > 0).Append(1).ToList();
        var min = Math.Max(0.05, finite.Min() / 1.15);
        var max = Math.Min(20, finite.Max() * 1.15);
        return (Math.Min(min, 0.8), Math.Max(max, 1.25));
    }
}
