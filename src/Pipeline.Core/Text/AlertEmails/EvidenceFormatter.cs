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

                var published = PublishedFigures.Rounded(e.PublishedRatio(rule));
                var fewEvents = e.Numerator is < MinimumEventsForAFinding || e.ReferenceNumerator is < MinimumEventsForAFinding
                    ? $" (not a finding on its own: fewer than {MinimumEventsForAFinding} events in a group)"
                    : string.Empty;
                yield return new EmailLine("Ratio to reference", published switch
                {
                    { IsHidden: true } => $"not shown ({Disclosure.RateHiddenReason})",
                    { Value: { } r } => $"{PublishedRatio.Format(r)}{Ci("95%", published.Ci95)}{Ci("99.8%", published.Ci998)}" + fewEvents,
                    _ => "no comparison",
                });
            }
        }
        else if (PublishedFigures.Rounded(e.PublishedRatio(rule)) is { Value: { } rii } gradient)
        {
            yield return new EmailLine("Relative index of inequality", $"{PublishedRatio.Format(rii)}{Ci("95%", gradient.Ci95)}{Ci("99.8%", gradient.Ci998)}");
        }

        // A window with months missing says so in words, as the report and `pipeline alerts` do (WindowText).
        var present = e.MonthsPresent is { } m
            ? string.Create(Invariant, $", {m} with accepted data")
                + (WindowText.IsPartial(e.WindowMonths, m) ? $" ({WindowText.Partial(e.WindowMonths, m)})" : string.Empty)
            : string.Empty;
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
    /// "3.2 percentage points higher" or "4.10 per 1,000 lower": the group's printed rate minus the reference's, both from
    /// the rounded counts (<see cref="PublishedFigures.Gap"/>); null when either rate is not shown.
    /// </summary>
    private static string? Gap(AlertEvidence e, int multiplier)
    {
        var group = PublishedFigures.Rate(e.Numerator, e.Denominator, multiplier);
        if (PublishedFigures.Gap(group, PublishedFigures.Rate(e.ReferenceNumerator, e.ReferenceDenominator, multiplier)) is not { } difference)
        {
            return null;
        }

        var magnitude = PublishedFigures.Format(Math.Abs(difference), group.Decimals);
        var size = group.PerThousand ? $"{magnitude} per 1,000" : $"{magnitude} percentage points";
        return difference == 0 ? "no gap" : $"{size} {(difference > 0 ? "higher" : "lower")}";
    }

    /// <summary>"8.30 per 1,000 (95% CI 5.05 to 12.30); counts: 20 of 2,410" under the disclosure rules (<see cref="PublishedFigures"/>).</summary>
    private static string Group(long? numerator, long? denominator, int multiplier)
    {
        var rate = PublishedFigures.Rate(numerator, denominator, multiplier);
        var counts = rate.Counts is { } c ? $"; counts: {c}" : string.Empty;
        return rate switch
        {
            { IsHidden: true } => $"rate not shown ({Disclosure.RateHiddenReason}){counts}",
            { Text: { } v } => $"{v}{(rate.Limits is { } l ? $" (95% CI {l.Lower} to {l.Upper})" : string.Empty)}{counts}",
            _ => $"no value{counts}",
        };
    }

    private static string Ci(string level, (decimal Lower, decimal Upper)? ci) =>
        ci is { } i ? $"; {level} CI {PublishedRatio.Format(i.Lower)} to {PublishedRatio.Format(i.Upper)}" : string.Empty;
}
