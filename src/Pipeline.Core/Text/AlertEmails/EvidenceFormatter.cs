using System.Globalization;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Text.Email;
using Pipeline.Core.Statistics;
using Pipeline.Core.Alerts;

namespace Pipeline.Core.Text.AlertEmails;

/// <summary>
/// Turns evidence numbers into the lines an LMNS lead reads, with disclosure control applied to every figure
/// (<see cref="Disclosure"/>): counts 0 / * / nearest 5; rates, their intervals and group ratios from the rounded counts,
/// or not shown when a count they rest on is 1–7. The deprivation gradient's RII (a fit over five quintiles) is shown as
/// computed.
/// </summary>
internal static class EvidenceFormatter
{
    /// <summary>The alert rule's minimum events per group (docs/statistics.md §6): a ratio from fewer is not a finding.</summary>
    private const int MinimumEventsForAFinding = 5;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IEnumerable<EmailLine> Lines(AlertEvidence e, Indicator? indicator, AlertRule rule, string groupLabel, string referenceLabel)
    {
        var multiplier = e.Multiplier;
        if (rule is AlertRule.Ratio or AlertRule.Spc)
        {
            yield return new EmailLine(groupLabel, Group(e.Numerator, e.Denominator, multiplier));
            if (e.ReferenceGroupCode is not null)
            {
                yield return new EmailLine($"{referenceLabel} (reference)", Group(e.ReferenceNumerator, e.ReferenceDenominator, multiplier));
                // The gap leads (what a board reads first); the ratio, which is what the rule tests, stands beside it.
                if (Gap(e, multiplier) is { } gap)
                {
                    yield return new EmailLine("Gap", $"{gap} than {referenceLabel}");
                }

                var published = e.PublishedRatio(rule);
                var fewEvents = e.Numerator is < MinimumEventsForAFinding || e.ReferenceNumerator is < MinimumEventsForAFinding
                    ? $" (not a finding on its own: fewer than {MinimumEventsForAFinding} events in a group)"
                    : string.Empty;
                yield return new EmailLine("Ratio to reference", published switch
                {
                    { IsHidden: true } => $"not shown ({Disclosure.RateHiddenReason})",
                    { Value: { } r } =>
                        string.Create(Invariant, $"{r:0.00}{Ci("95%", published.Ci95)}{Ci("99.8%", published.Ci998)}") + fewEvents,
                    _ => "no comparison",
                });
            }
        }
        else if (e.PublishedRatio(rule) is { Value: { } rii } gradient)
        {
            yield return new EmailLine("Relative index of inequality", string.Create(Invariant, $"{rii:0.00}{Ci("95%", gradient.Ci95)}{Ci("99.8%", gradient.Ci998)}"));
        }

        var present = e.MonthsPresent is { } m ? string.Create(Invariant, $", {m} with accepted data") : string.Empty;
        yield return new EmailLine("Window", string.Create(Invariant, $"{e.WindowMonths} month{(e.WindowMonths == 1 ? string.Empty : "s")}, {e.WindowStart} to {e.WindowEnd}{present}"));
        if (indicator is not null
            && Disclosure.Detectable(
                e.Detectable, e.Denominator, e.ReferenceNumerator, e.ReferenceDenominator, indicator.Polarity == Polarity.HigherIsBetter)
                is { } detectable)
        {
            // "Silence is not equity": what this window could have shown, so a lead reads a quiet neighbour cell rightly.
            yield return new EmailLine("Detectable in this window", DetectableRatioText.Describe(detectable, e.WindowMonths));
        }
    }

    /// <summary>
    /// "3.2 percentage points higher" or "4.10 per 1,000 lower": the group's published rate minus the reference's, both from
    /// the rounded counts; null when either rate is not shown.
    /// </summary>
    private static string? Gap(AlertEvidence e, int multiplier)
    {
        if (Disclosure.Rate(e.Numerator, e.Denominator, multiplier) is not { IsHidden: false, Value: { } group }
            || Disclosure.Rate(e.ReferenceNumerator, e.ReferenceDenominator, multiplier) is not { IsHidden: false, Value: { } reference })
        {
            return null;
        }

        // From the rates as printed, so the gap is exactly the difference of the two figures the lead sees.
        var decimals = multiplier == 1000 ? 2 : 1;
        var difference = Math.Round(group, decimals, MidpointRounding.AwayFromZero)
            - Math.Round(reference, decimals, MidpointRounding.AwayFromZero);
        var size = multiplier == 1000
            ? string.Create(Invariant, $"{Math.Abs(difference):0.00} per 1,000")
            : string.Create(Invariant, $"{Math.Abs(difference):0.0} percentage points");
        return difference == 0 ? "no gap" : $"{size} {(difference > 0 ? "higher" : "lower")}";
    }

    /// <summary>"8.30 per 1,000 (95% CI 5.05 to 12.30); counts: 20 of 2,410" under the disclosure rules.</summary>
    private static string Group(long? numerator, long? denominator, int multiplier)
    {
        var counts = numerator is { } n && denominator is { } d ? $"; counts: {Disclosure.FormatCount(n)} of {Disclosure.FormatCount(d)}" : string.Empty;
        var (format, unit, suffix) = multiplier == 1000 ? ("0.00", string.Empty, " per 1,000") : ("0.0", "%", "%");
        return Disclosure.Rate(numerator, denominator, multiplier) switch
        {
            { IsHidden: true } => $"rate not shown ({Disclosure.RateHiddenReason}){counts}",
            { Value: { } v, Ci: var ci } => string.Create(Invariant, $"{v.ToString(format, Invariant)}{suffix}{Range(ci, format, unit)}{counts}"),
            _ => $"no value{counts}",
        };
    }

    private static string Range(Interval? ci, string format, string unit) =>
        ci is { } i
            ? string.Create(Invariant, $" (95% CI {i.Lower.ToString(format, Invariant)}{unit} to {i.Upper.ToString(format, Invariant)}{unit})")
            : string.Empty;

    private static string Ci(string level, Interval? ci) =>
        ci is { } i ? string.Create(Invariant, $"; {level} CI {i.Lower:0.00} to {i.Upper:0.00}") : string.Empty;
}
