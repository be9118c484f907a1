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
                var published = e.PublishedRatio(rule);
                yield return new EmailLine("Ratio to reference", published switch
                {
                    { IsHidden: true } => $"not shown ({Disclosure.RateHiddenReason})",
                    { Value: { } r } => string.Create(Invariant, $"{r:0.00}{Ci("95%", published.Ci95)}{Ci("99.8%", published.Ci998)}"),
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
