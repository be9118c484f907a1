using System.Globalization;
using System.Net;
using Pipeline.Core.Detection;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// The words and numbers of the report: HTML escaping, group labels, and every count and rate passed through
/// <see cref="Disclosure"/> (counts 0 / * / nearest 5; every rate, interval and ratio from the rounded counts, or not
/// shown when a count it rests on is 1–7).
/// </summary>
internal static class EquityReportText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Escapes text for an HTML element or a quoted attribute (the framework's encoder, as the other renderers use).</summary>
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Number(double value, string format) => value.ToString(format, Invariant);

    /// <summary>A ratio as every output prints it (<see cref="PublishedFigures.Rounded"/>: 2 places, half away from zero).</summary>
    public static string Ratio(double? ratio) => ratio is { } r
        ? PublishedRatio.Format(Math.Round((decimal)r, PublishedFigures.RatioDecimals, MidpointRounding.AwayFromZero))
        : "–";

    /// <summary>"1.84 (95% CI 1.21–2.80)", or the ratio alone without limits.</summary>
    public static string RatioWithCi(double? ratio, double? lower, double? upper, string level = "95%") =>
        ratio is null ? "no comparison"
        : lower is { } l && upper is { } u ? $"{Ratio(ratio)} ({level} CI {Ratio(l)}–{Ratio(u)})"
        : Ratio(ratio);

    public static string Count(long count) => Disclosure.FormatCount(count);

    public static string Counts(long numerator, long denominator) => $"{Count(numerator)} of {Count(denominator)}";

    public static bool PerThousand(ReportIndicator indicator) => indicator.Multiplier == 1000;

    /// <summary>The group's value (with its 95% CI) under the disclosure rules, e.g. "12.0 per 1,000 (95% CI 8.1–18.4)".</summary>
    public static string Value(ReportIndicator indicator, long? numerator, long? denominator, bool withCi = true)
    {
        // The figures the alert emails print too: one computation from the rounded counts (PublishedFigures).
        var rate = PublishedFigures.Rate(numerator, denominator, indicator.Multiplier);
        if (rate.IsHidden)
        {
            return $"not shown ({Disclosure.RateHiddenReason})";
        }

        if (rate.Value is not { } v)
        {
            return "no value";
        }

        var ci = withCi && rate.Lower is { } l && rate.Upper is { } u
            ? $" (95% CI {PublishedFigures.Format(l, rate.Decimals)}–{PublishedFigures.Format(u, rate.Decimals)})"
            : string.Empty;
        return $"{rate.Figure(v)}{ci}";
    }

    public static string GroupLabel(ComparisonBreakdown breakdown, string groupCode) => breakdown switch
    {
        ComparisonBreakdown.ImdQuintile when groupCode == "1" => "IMD Q1 (most deprived)",
        ComparisonBreakdown.ImdQuintile when groupCode == "5" => "IMD Q5 (least deprived)",
        ComparisonBreakdown.ImdQuintile when groupCode == ImdGroups.Unassignable => "IMD not assignable",
        ComparisonBreakdown.ImdQuintile => $"IMD Q{groupCode}",
        _ when groupCode == BroadGroups.Unknown => "Ethnicity not known",
        _ => groupCode,
    };

    /// <summary>Column heading in the heat map (short: the breakdown is in the column group heading).</summary>
    public static string ShortGroupLabel(ComparisonBreakdown breakdown, string groupCode) =>
        breakdown == ComparisonBreakdown.ImdQuintile ? $"Q{groupCode}" : groupCode;

    public static string BreakdownLabel(ComparisonBreakdown breakdown) =>
        breakdown == ComparisonBreakdown.EthnicGroup ? "ethnic group" : "deprivation (IMD quintile)";

    public static string SignalLabel(Signal signal) => signal switch
    {
        Signal.Alert => "Alert",
        Signal.Watch => "Watch",
        _ => "No signal",
    };

    /// <summary>The symbol drawn with a signal, so it never depends on colour alone.</summary>
    public static string SignalSymbol(Signal signal) => signal switch
    {
        Signal.Alert => "▲",
        Signal.Watch => "△",
        _ => string.Empty,
    };

    public static string RuleLabel(SignalRule rule) => rule switch
    {
        SignalRule.Ratio => "ratio rule: the rate ratio's confidence interval excludes 1 and the gap is material",
        SignalRule.Spc => "SPC rule: a special cause on the monthly ratio series",
        SignalRule.Gradient => "gradient rule: RII ≥ 1.25 and its CI excludes 1 (99.8% for an alert, 95% for a watch)",
        SignalRule.Cusum =>
            "sequential rule: the group's monthly events, accumulated against the reference group's rate, reached the CUSUM threshold",
        _ => "no rule fired",
    };

    public static string DirectionLabel(Direction direction) => direction switch
    {
        Direction.Worse => "worse",
        Direction.Better => "better",
        Direction.Different => "different",
        _ => "no difference",
    };

    public static string LevelLabel(Level level) => level switch
    {
        Level.Lmns => "LMNS",
        Level.Region => "Region",
        _ => "Trust",
    };

    public static string WindowLength(int months) => months == 1 ? "1-month window" : $"{Number(months, "0")}-month window";

    /// <summary>
    /// "12-month window", or for a partial window "12-month window, partial: 9 of 12 months with data"
    /// (<see cref="Publishing.WindowText"/>, the words every output uses).
    /// </summary>
    public static string Window(int months, int? monthsPresent) =>
        Publishing.WindowText.Partial(months, monthsPresent) is { } partial ? $"{WindowLength(months)}, {partial}" : WindowLength(months);

    public static string Percent(double share) => $"{Number(share * 100, "0.0")}%";
}
