using System.Globalization;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Text.AlertEmails;

/// <summary>
/// The "rule in words" each alert carries into emails, the report and <c>pipeline alerts</c>: one home for every sentence that
/// says why an alert holds. An indicator with no preferred direction (polarity neutral, direction <c>different</c>)
/// is worded as "differs", never "worse" (docs/alerts.md §5).
/// </summary>
public static class AlertRuleText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A group comparison's ratio or SPC rule.</summary>
    public static string Comparison(bool spc, bool alert, Direction direction, SpecialCauseRule spcRule, bool haldaneCorrected)
    {
        var neutral = direction == Direction.Different;
        var text = spc
            ? neutral
                ? $"special cause on the monthly ratio ({Spc(spcRule)}): the group differs from the reference"
                : $"special cause on the monthly ratio ({Spc(spcRule)}) in the worse direction"
            : (alert, neutral) switch
            {
                (true, false) => "the 99.8% CI of the ratio excludes 1 in the worse direction, the ratio is material "
                    + "(≥ 1.25, or ≤ 0.8 where lower is worse) and both groups have at least 5 events",
                (true, true) => "the 99.8% CI of the ratio excludes 1 (the group differs from the reference; this indicator has no "
                    + "preferred direction), the ratio is material (≥ 1.25 or ≤ 0.8) and both groups have at least 5 events",
                (false, false) => "the 95% CI of the ratio excludes 1 in the worse direction",
                (false, true) => "the 95% CI of the ratio excludes 1 (the group differs from the reference; this indicator has no "
                    + "preferred direction)",
            };
        return haldaneCorrected ? text + "; a zero count needed the 0.5 (Haldane–Anscombe) correction" : text;
    }

    /// <summary>A rare-event indicator's sequential rule (docs/detection.md, "Rare outcomes"): the CUSUM reached its threshold.</summary>
    public static string Cusum(double statistic, double threshold, int windowMonths) => string.Create(
        Invariant,
        $"sequential test: the group's Poisson CUSUM against the reference group's rate (designed for a doubling) reached " +
        $"{statistic:0.0}, at or above its threshold {threshold:0.0}, over the {windowMonths}-month window");

    /// <summary>The deprivation gradient's rule, with the SII and its interval when known.</summary>
    public static string Gradient(bool alert, bool neutral, double? sii, double? siiLower, double? siiUpper)
    {
        var interval = sii is { } s
            ? string.Create(Invariant, $"; SII {s:0.00}")
                + (siiLower is { } l && siiUpper is { } u ? string.Create(Invariant, $" (95% CI {l:0.00} to {u:0.00})") : string.Empty)
            : string.Empty;
        var who = neutral ? "the most deprived having the higher value" : "the most deprived faring worse";
        return (alert ? "the 99.8%" : "the 95%")
            + $" CI of the relative index of inequality excludes 1 with {who}, and RII ≥ 1.25" + interval;
    }

    /// <summary>Why a rejected trust-month's equity alerts are withheld.</summary>
    public static string RejectedMonth(string reason, Period period) =>
        string.Create(Invariant, $"{reason}; its equity alerts for {period} are withheld until an accepted submission arrives");

    /// <summary>The reason a rejected trust-month inhibits the trust's equity alerts.</summary>
    public static string RejectedSubmission(Period period, int errorCount) =>
        string.Create(Invariant, $"the {period} submission was rejected ({errorCount} error(s)); there is no accepted data for this month");

    /// <summary>A trust with no accepted file by the deadline.</summary>
    public static string LateSubmission(Period period, DateOnly deadline) =>
        string.Create(Invariant, $"no accepted submission for {period} by the deadline {deadline:yyyy-MM-dd}");

    private static string Spc(SpecialCauseRule rule) => rule switch
    {
        SpecialCauseRule.OutsideLimits => "a point outside the process limits",
        SpecialCauseRule.Trend => "7 points each higher or lower than the one before",
        SpecialCauseRule.TwoOfThree => "2 of 3 points beyond a near-limit line",
        SpecialCauseRule.Shift => "7 points in a row on one side of the mean",
        _ => "a special cause",
    };
}
