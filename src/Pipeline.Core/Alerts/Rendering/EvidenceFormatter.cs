using System.Globalization;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Rendering;

namespace Pipeline.Core.Alerts.Rendering;

/// <summary>
/// Turns evidence numbers into the lines an LMNS lead reads, with disclosure control applied to every count and rate
/// (<see cref="Disclosure"/>): counts 0 / * / nearest 5; per-1,000 rates and their CIs hidden below 8 events;
/// percentages from the rounded counts; ratios and their CIs always shown.
/// </summary>
internal static class EvidenceFormatter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IEnumerable<EmailLine> Lines(AlertEvidence e, Indicator? indicator, AlertRule rule, string groupLabel, string referenceLabel)
    {
        var perThousand = e.Multiplier == 1000 || indicator?.RareEvent == true;
        if (rule is AlertRule.Ratio or AlertRule.Spc)
        {
            yield return new EmailLine(groupLabel, Group(e.Value, e.ValueCiLower, e.ValueCiUpper, e.Numerator, e.Denominator, perThousand));
            if (e.ReferenceGroupCode is not null)
            {
                yield return new EmailLine($"{referenceLabel} (reference)",
                    Group(e.ReferenceValue, e.ReferenceCiLower, e.ReferenceCiUpper, e.ReferenceNumerator, e.ReferenceDenominator, perThousand));
            }
        }

        if (e.Ratio is { } ratio)
        {
            var name = rule == AlertRule.Gradient ? "Relative index of inequality" : "Ratio to reference";
            yield return new EmailLine(name, string.Create(Invariant, $"{ratio:0.00}{Ci("95%", e.RatioCiLower95, e.RatioCiUpper95)}{Ci("99.8%", e.RatioCiLower998, e.RatioCiUpper998)}"));
        }

        var present = e.MonthsPresent is { } m ? string.Create(Invariant, $", {m} with accepted data") : string.Empty;
        yield return new EmailLine("Window", string.Create(Invariant, $"{e.WindowMonths} month{(e.WindowMonths == 1 ? string.Empty : "s")}, {e.WindowStart} to {e.WindowEnd}{present}"));
    }

    /// <summary>"7.88 per 1,000 (95% CI 5.05 to 12.30); counts: 20 of 2,410" under the disclosure rules.</summary>
    private static string Group(double? value, double? lower, double? upper, long? numerator, long? denominator, bool perThousand)
    {
        var counts = numerator is { } n && denominator is { } d ? $"; counts: {Disclosure.FormatCount(n)} of {Disclosure.FormatCount(d)}" : string.Empty;
        var rate = Disclosure.Rate(perThousand, value, numerator, denominator);
        return rate switch
        {
            { IsHidden: true } => $"rate not shown ({Disclosure.RateHiddenReason}){counts}",
            { Value: not { } } => $"no value{counts}",
            { Value: { } v } when perThousand => string.Create(Invariant, $"{v:0.00} per 1,000{Range(lower, upper, "0.00", string.Empty)}{counts}"),
            { Value: { } p } => string.Create(Invariant, $"{p:0.0}%{Range(lower, upper, "0.0", "%")}{counts}"),
        };
    }

    private static string Range(double? lower, double? upper, string format, string unit) =>
        lower is { } l && upper is { } u
            ? string.Create(Invariant, $" (95% CI {l.ToString(format, Invariant)}{unit} to {u.ToString(format, Invariant)}{unit})")
            : string.Empty;

    private static string Ci(string level, double? lower, double? upper) =>
        lower is { } l && upper is { } u ? string.Create(Invariant, $"; {level} CI {l:0.00} to {u:0.00}") : string.Empty;
}
