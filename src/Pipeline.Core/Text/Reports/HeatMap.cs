using Pipeline.Core.Publishing;
using System.Globalization;
using System.Text;
using Pipeline.Core.Detection;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// The heat map: one table row per indicator, one cell per compared group (ethnic groups vs White, IMD quintiles vs Q5)
/// and the deprivation gradient. The cell's colour says direction and size of the gap; its text says the ratio and the
/// signal (symbol and word), so nothing depends on colour alone; its title and aria-label carry the numbers.
/// </summary>
internal static class HeatMap
{
    public static readonly IReadOnlyList<(ComparisonBreakdown Breakdown, string Group)> Columns =
    [
        .. ComparisonGroups.Compared(ComparisonBreakdown.EthnicGroup).Select(g => (ComparisonBreakdown.EthnicGroup, g)),
        .. ComparisonGroups.Compared(ComparisonBreakdown.ImdQuintile).Select(g => (ComparisonBreakdown.ImdQuintile, g)),
    ];

    public static string Render(EquityReportModel model, ReportOrganisation organisation, string id)
    {
        var comparisons = model.Comparisons
            .Where(c => c.Level == organisation.Level && c.OrganisationCode == organisation.Code)
            .ToDictionary(c => (c.IndicatorCode, c.Breakdown, c.GroupCode));
        var gradients = model.Gradients
            .Where(g => g.Level == organisation.Level && g.OrganisationCode == organisation.Code)
            .ToDictionary(g => g.IndicatorCode, StringComparer.Ordinal);
        var ethnicCount = ComparisonGroups.Compared(ComparisonBreakdown.EthnicGroup).Count;
        var imdCount = ComparisonGroups.Compared(ComparisonBreakdown.ImdQuintile).Count;

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"table-wrap\"><table class=\"heatmap\" id=\"{id}\"><caption>Rate ratio of each group against its reference group, {EquityReportText.Escape(organisation.Name)}, windows ending {model.Period}</caption>");
        html.Append("<thead><tr><th scope=\"col\" rowspan=\"2\" class=\"ind\">Indicator</th>");
        html.Append(CultureInfo.InvariantCulture, $"<th scope=\"colgroup\" colspan=\"{ethnicCount}\">Ethnic group vs White</th>");
        html.Append(CultureInfo.InvariantCulture, $"<th scope=\"colgroup\" colspan=\"{imdCount}\">Deprivation vs IMD Q5 (least deprived)</th>");
        html.Append("<th scope=\"col\" rowspan=\"2\">Gradient<br><span class=\"sub\">RII</span></th></tr><tr>");
        foreach (var (breakdown, group) in Columns)
        {
            var sub = breakdown == ComparisonBreakdown.ImdQuintile && group == "1" ? "<br><span class=\"sub\">most deprived</span>" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<th scope=\"col\">{EquityReportText.Escape(EquityReportText.ShortGroupLabel(breakdown, group))}{sub}</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var indicator in model.Indicators)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\" class=\"ind\">{EquityReportText.Escape(indicator.Name)}</th>");
            foreach (var (breakdown, group) in Columns)
            {
                html.Append(Cell(indicator, breakdown, group, comparisons.GetValueOrDefault((indicator.Code, breakdown, group))));
            }

            html.Append(GradientCell(indicator, gradients.GetValueOrDefault(indicator.Code)));
            html.Append("</tr>");
        }

        html.Append("</tbody></table></div>");
        return html.ToString();
    }

    private static string Cell(ReportIndicator indicator, ComparisonBreakdown breakdown, string group, ReportComparison? c)
    {
        var who = $"{EquityReportText.GroupLabel(breakdown, group)} vs {EquityReportText.GroupLabel(breakdown, c?.ReferenceGroupCode ?? ComparisonGroups.ReferenceGroup(breakdown))}, {indicator.Name}";
        if (c is { Suppressed: true })
        {
            // The detectable ratio rests on the group's denominator and the reference's counts, not on the suppressed events.
            var hidden = $"{who}: figures not shown ({Disclosure.RateHiddenReason}); counts {EquityReportText.Counts(c.Numerator, c.Denominator)}; " +
                (c.Inhibited ? $"signals inhibited: {c.InhibitedReason}" : EquityReportText.SignalLabel(c.Signal)) + $"; {EquityReportText.Window(c.WindowMonths, c.MonthsPresent)}" +
                Detectable(c);
            var signal = c.Inhibited ? string.Empty
                : c.Signal == Signal.None ? LowPowerMark(c)
                : $"<span class=\"sig {c.Signal.ToWire()}\">{EquityReportText.SignalSymbol(c.Signal)} {EquityReportText.SignalLabel(c.Signal)}</span>";
            return $"<td tabindex=\"0\" class=\"cell suppressed {c.Signal.ToWire()}{LowPowerClass(c)}\" title=\"{EquityReportText.Escape(hidden)}\" aria-label=\"{EquityReportText.Escape(hidden)}\">" +
                $"<span class=\"rr\">{Disclosure.Suppressed}</span>{signal}</td>";
        }

        if (c?.RateRatio is not { } ratio)
        {
            var why = c is null ? "no data for this group" : "no comparison (the reference group has no denominator)";
            return $"<td tabindex=\"0\" class=\"cell empty\" title=\"{EquityReportText.Escape($"{who}: {why}")}\" aria-label=\"{EquityReportText.Escape($"{who}: {why}")}\">–</td>";
        }

        var description = $"{who}: rate ratio {EquityReportText.RatioWithCi(ratio, c.RrCiLower, c.RrCiUpper)}; " +
            $"{EquityReportText.Value(indicator, c.Numerator, c.Denominator)} vs " +
            $"{EquityReportText.Value(indicator, c.ReferenceNumerator, c.ReferenceDenominator, withCi: false)}; " +
            $"counts {EquityReportText.Counts(c.Numerator, c.Denominator)}; {EquityReportText.DirectionLabel(c.Direction)}; " +
            (c.Inhibited ? $"signals inhibited: {c.InhibitedReason}" : $"{EquityReportText.SignalLabel(c.Signal)}{(c.Signal == Signal.None ? string.Empty : $" ({EquityReportText.RuleLabel(c.Rule)})")}") +
            $"; {EquityReportText.Window(c.WindowMonths, c.MonthsPresent)}" + Detectable(c);
        var (background, foreground) = Colour(c.Direction, ratio, Clear(c.RrCiLower, c.RrCiUpper) && !c.Inhibited && EnoughEvents(c));
        // A silent cell that could not have alerted a doubling says so: silence there is "too few events to tell", not equity.
        var mark = c.Inhibited
            ? "<span class=\"sig dq\">DQ</span>"
            : c.Signal == Signal.None ? LowPowerMark(c)
            : $"<span class=\"sig {c.Signal.ToWire()}\">{EquityReportText.SignalSymbol(c.Signal)} {EquityReportText.SignalLabel(c.Signal)}</span>";
        var classes = $"cell {c.Signal.ToWire()}{(c.Inhibited ? " inhibited" : string.Empty)}{LowPowerClass(c)}";
        return $"<td tabindex=\"0\" class=\"{classes}\" style=\"background:{background};color:{foreground}\" title=\"{EquityReportText.Escape(description)}\" " +
            $"aria-label=\"{EquityReportText.Escape(description)}\"><span class=\"rr\">{EquityReportText.Ratio(ratio)}</span>{mark}</td>";
    }

    /// <summary>"; could not have detected a doubling: …" from the published detectable ratio; empty when the row has none.</summary>
    private static string Detectable(ReportComparison c) =>
        c.Detectable is { } detectable ? $"; {DetectableRatioText.Describe(detectable, c.WindowMonths)}" : string.Empty;

    private static string LowPowerMark(ReportComparison c) =>
        c.Detectable is { CannotDetectDoubling: true } ? "<span class=\"sig lowpower\">can't see 2×</span>" : string.Empty;

    private static string LowPowerClass(ReportComparison c) => c.Detectable is { CannotDetectDoubling: true } ? " lowpower" : string.Empty;

    private static string GradientCell(ReportIndicator indicator, ReportGradient? g)
    {
        if (g?.Rii is not { } rii)
        {
            var why = g?.Sii is null
                ? $"Deprivation gradient, {indicator.Name}: not computed (a quintile has no data)"
                : $"Deprivation gradient, {indicator.Name}: no relative index (the fitted line reaches zero at one end; the slope index is in the gradient table)";
            return $"<td tabindex=\"0\" class=\"grad empty\" title=\"{EquityReportText.Escape(why)}\" aria-label=\"{EquityReportText.Escape(why)}\">–</td>";
        }

        var description = $"Deprivation gradient, {indicator.Name}: relative index of inequality {EquityReportText.RatioWithCi(rii, g.RiiCiLower, g.RiiCiUpper)}, " +
            $"slope index {EquityReportText.Number(g.Sii ?? 0, "0.0")} ({(EquityReportText.PerThousand(indicator) ? "per 1,000" : "percentage points")}); RII above 1 means the most deprived fare worse; " +
            (g.InhibitedReason is { } reason ? $"signals inhibited: {reason}" : EquityReportText.SignalLabel(g.Signal));
        var direction = rii > 1 ? Direction.Worse : rii < 1 ? Direction.Better : Direction.None;
        var (background, foreground) = Colour(direction, rii, Clear(g.RiiCiLower, g.RiiCiUpper) && g.InhibitedReason is null);
        var mark = g.InhibitedReason is not null ? "<span class=\"sig dq\">DQ</span>"
            : g.Signal == Signal.None ? string.Empty
            : $"<span class=\"sig {g.Signal.ToWire()}\">{EquityReportText.SignalSymbol(g.Signal)} {EquityReportText.SignalLabel(g.Signal)}</span>";
        return $"<td tabindex=\"0\" class=\"grad {g.Signal.ToWire()}\" style=\"background:{background};color:{foreground}\" title=\"{EquityReportText.Escape(description)}\" " +
            $"aria-label=\"{EquityReportText.Escape(description)}\"><span class=\"rr\">{EquityReportText.Ratio(rii)}</span>{mark}</td>";
    }

    /// <summary>The 95% interval excludes 1: the gap is statistically clear (an unclear gap is drawn pale, whatever its size).</summary>
    public static bool Clear(double? lower, double? upper) => lower > 1 || upper < 1;

    /// <summary>
    /// The alert rule's minimum events (5 in each group) are met; below that a ratio is too noisy to colour strongly.
    /// An unknown reference count (a row from a view that does not carry it) does not count against the row.
    /// </summary>
    private static bool EnoughEvents(ReportComparison c) =>
        c.Numerator >= DetectionOptions.Default.MinimumEvents && (c.ReferenceNumerator ?? long.MaxValue) >= DetectionOptions.Default.MinimumEvents;

    /// <summary>
    /// The cell colour: red for worse, blue for better, plum for a difference on a neutral indicator, deeper the further
    /// the ratio is from 1 (full strength at 3× or ⅓) — but pale when <paramref name="clear"/> is false, so noise from
    /// small groups does not shout; the text colour is whichever of near-black and white contrasts more.
    /// </summary>
    public static (string Background, string Foreground) Colour(Direction direction, double ratio, bool clear = true)
    {
        // A ratio that is not a positive number (an RII from a fitted line crossing zero on sparse data) has no size or
        // direction to show: neutral grey.
        if (!double.IsFinite(ratio) || ratio <= 0)
        {
            (direction, ratio) = (Direction.None, 1);
        }

        var strength = Math.Min(Math.Abs(Math.Log(ratio)) / Math.Log(3), clear ? 1 : 0.15);
        var baseColour = direction switch
        {
            Direction.Worse => (R: 0xB0, G: 0x1E, B: 0x16),
            Direction.Better => (R: 0x00, G: 0x5E, B: 0xB8),
            Direction.Different => (R: 0x7C, G: 0x28, B: 0x55),
            _ => (R: 0xE8, G: 0xED, B: 0xEE),
        };
        var mix = direction == Direction.None ? 1 : 0.1 + (0.85 * strength);
        while (true)
        {
            var (r, g, b) = (Blend(baseColour.R, mix), Blend(baseColour.G, mix), Blend(baseColour.B, mix));
            var luminance = Luminance(r, g, b);
            var darkText = (luminance + 0.05) / (Luminance(0x21, 0x2B, 0x32) + 0.05);
            var lightText = 1.05 / (luminance + 0.05);

            // Mid tones can fail AA with both text colours: deepen the tint until one passes (a slightly stronger colour
            // is a smaller harm than unreadable numbers).
            if (Math.Max(darkText, lightText) >= 4.5 || mix >= 1)
            {
                var background = string.Create(CultureInfo.InvariantCulture, $"#{r:X2}{g:X2}{b:X2}");
                return (background, darkText >= lightText ? "#212B32" : "#FFFFFF");
            }

            mix = Math.Min(1, mix + 0.02);
        }
    }

    private static int Blend(int channel, double mix) => (int)Math.Round(255 + ((channel - 255) * mix));

    /// <summary>WCAG relative luminance.</summary>
    internal static double Luminance(int r, int g, int b)
    {
        static double Linear(int c)
        {
            var s = c / 255.0;
            return s <= 0.03928 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Linear(r)) + (0.7152 * Linear(g)) + (0.0722 * Linear(b));
    }
}
