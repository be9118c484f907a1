using Pipeline.Core.Alerts;

namespace Pipeline.Core.Text.AlertEmails;

/// <summary>One row of a forest plot: a group's ratio with its 95% CI.</summary>
public sealed record ForestPlotRow(string Label, double Ratio, double Lower, double Upper, AlertSeverity Severity);

/// <summary>
/// What the chart shows (ratio with 95% CI per group, log scale, a line at 1). Pure data: the PNG is drawn by an adapter
/// (ScottPlot) and attached inline under <see cref="ContentId"/>.
/// </summary>
public sealed record ForestPlot(string Title, IReadOnlyList<ForestPlotRow> Rows)
{
    public const string ContentId = "forest-plot";

    public const string FileName = "forest-plot.png";
}
