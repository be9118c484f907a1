namespace Pipeline.Core.Text.Reports;

/// <summary>
/// The frame every monthly chart of the report is drawn in (the trend, the p-chart and the cumulative events): one size and
/// one plot area, so charts stacked on a page line their months up.
/// </summary>
internal static class MonthlyChartFrame
{
    public const double Width = 760;
    public const double Height = 250;
    public const double Left = 64;
    public const double Right = 716;
    public const double Top = 14;
    public const double Bottom = 196;
}
