using Pipeline.Core.Statistics;
using Pipeline.Core.Publishing;
using System.Text.Json.Serialization;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts;

/// <summary>
/// The numbers behind a signal (docs/statistics.md §7): the group's counts and value with its 95% CI, the reference group's,
/// the ratio with its 95% and 99.8% CIs (the RII for the gradient rule), the window, and the rule in words. Values are
/// already × the indicator's multiplier. Counts here are unrounded: disclosure control is applied when they leave the store.
/// </summary>
public sealed record AlertEvidence
{
    public required int WindowMonths { get; init; }

    public required Period WindowEnd { get; init; }

    /// <summary>Months in the window that had an accepted submission.</summary>
    public int? MonthsPresent { get; init; }

    public int Multiplier { get; init; } = 100;

    public long? Numerator { get; init; }

    public long? Denominator { get; init; }

    public double? Value { get; init; }

    public double? ValueCiLower { get; init; }

    public double? ValueCiUpper { get; init; }

    public string? ReferenceGroupCode { get; init; }

    public long? ReferenceNumerator { get; init; }

    public long? ReferenceDenominator { get; init; }

    public double? ReferenceValue { get; init; }

    public double? ReferenceCiLower { get; init; }

    public double? ReferenceCiUpper { get; init; }

    /// <summary>Risk ratio of the group vs the reference (or the RII for the gradient rule).</summary>
    public double? Ratio { get; init; }

    public double? RatioCiLower95 { get; init; }

    public double? RatioCiUpper95 { get; init; }

    public double? RatioCiLower998 { get; init; }

    public double? RatioCiUpper998 { get; init; }

    /// <summary>
    /// What the window could have detected (docs/detection.md, "Silence is not equity"), for group comparisons: null on evidence that does
    /// not carry
    /// it (gradients, data quality, evidence stored before it existed); <c>Ratio</c> null when no ratio could be alerted.
    /// </summary>
    public DetectableRatio? Detectable { get; init; }

    /// <summary>The rule that fired, in words (e.g. "99.8% CI of the ratio excludes 1 and ratio ≥ 1.25, both counts ≥ 5").</summary>
    public required string RuleText { get; init; }

    /// <summary>First month of the window (derived, so not stored).</summary>
    [JsonIgnore]
    public Period WindowStart => WindowEnd.AddMonths(1 - WindowMonths);

    /// <summary>
    /// The ratio as it may be published (docs/disclosure.md): a group's ratio to its reference from the rounded counts, or
    /// hidden when a count is suppressed; the gradient's RII (a fit over five quintiles) as computed.
    /// </summary>
    public DisclosedRatio PublishedRatio(AlertRule rule) => rule == AlertRule.Gradient
        ? Ratio is { } rii
            ? new DisclosedRatio(false, rii, Pair(RatioCiLower95, RatioCiUpper95), Pair(RatioCiLower998, RatioCiUpper998))
            : DisclosedRatio.None
        : Disclosure.Ratio(Numerator, Denominator, ReferenceNumerator, ReferenceDenominator);

    private static Interval? Pair(double? lower, double? upper) => lower is { } l && upper is { } u ? new Interval(l, u) : null;
}
