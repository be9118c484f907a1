using System.Globalization;
using Pipeline.Core.Detection;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Publishing;

/// <summary>
/// Disclosure control for every figure that leaves the store (emails, reports, receipts, CLI tables, data-quality text),
/// written once here so no output can give a count back (docs/disclosure.md). Counts follow NHS England's Maternity
/// Services Data Set publications (reference/source/disclosure_rules.csv, sources S4, S5, S17): 0 stays 0; 1–7 is
/// suppressed (<c>*</c>); 8 or more is rounded to the nearest 5. Every figure derived from counts (a rate, its interval, a
/// ratio and its intervals, a share) is either hidden, when any count it rests on is suppressed, or computed from the
/// published (rounded) counts alone, so inverting it yields at most what the rounded counts already say.
/// </summary>
public static class Disclosure
{
    /// <summary>The symbol for a suppressed small number (MSDS symbol <c>*</c>).</summary>
    public const string Suppressed = "*";

    /// <summary>Counts from 1 up to this value are suppressed; rare-event rates need a numerator of at least <see cref="SmallNumberLimit"/> + 1.</summary>
    public const int SmallNumberLimit = 7;

    public static bool IsSmallNumber(long count) => count is >= 1 and <= SmallNumberLimit;

    /// <summary>The count as MSDS publishes it: 0 → 0, 1–7 → 5, otherwise the nearest multiple of 5.</summary>
    public static long RoundCount(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return count == 0 ? 0
            : IsSmallNumber(count) ? 5
            : 5 * (long)Math.Round(count / 5.0, MidpointRounding.AwayFromZero);
    }

    /// <summary>The count as text for people: <c>0</c>, <c>*</c> for 1–7, otherwise rounded to 5 with thousands separators.</summary>
    public static string FormatCount(long count) =>
        IsSmallNumber(count) ? Suppressed : RoundCount(count).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A percentage from the rounded counts, 1 decimal place half-up; null when the rounded denominator is 0.</summary>
    public static decimal? PercentageRate(long numerator, long denominator)
    {
        var roundedDenominator = RoundCount(denominator);
        return roundedDenominator == 0 ? null
            : Math.Round(100m * RoundCount(numerator) / roundedDenominator, 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>Whether figures resting on these counts may be shown: neither count is suppressed (1–7).</summary>
    public static bool MayShow(long? numerator, long? denominator) =>
        !(numerator is { } n && IsSmallNumber(n)) && !(denominator is { } d && IsSmallNumber(d));

    /// <summary>Why a hidden figure is hidden, in the words every output uses.</summary>
    public static readonly string RateHiddenReason = $"fewer than {SmallNumberLimit + 1} events";

    /// <summary>
    /// A group's rate and 95% Wilson interval as they may be published, times <paramref name="multiplier"/>: hidden when a
    /// count is suppressed; otherwise from the rounded counts. No counts (or a rounded denominator of 0): no value.
    /// </summary>
    public static DisclosedRate Rate(long? numerator, long? denominator, int multiplier)
    {
        if (!MayShow(numerator, denominator))
        {
            return DisclosedRate.Hidden;
        }

        if (numerator is not { } n || denominator is not { } d || RoundCount(d) == 0)
        {
            return DisclosedRate.None;
        }

        var (x, total) = (RoundCount(n), RoundCount(d));
        var ci = WilsonScore.Interval(x, total, Confidence.Warning);
        return new DisclosedRate(false, multiplier * (double)x / total, ci is { } i ? new Interval(i.Lower * multiplier, i.Upper * multiplier) : null);
    }

    /// <summary>
    /// A group's risk ratio against its reference with 95% and 99.8% Katz intervals, as they may be published: hidden when
    /// any of the four counts is suppressed; otherwise from the rounded counts (Haldane–Anscombe when a rounded numerator is 0).
    /// </summary>
    public static DisclosedRatio Ratio(long? numerator, long? denominator, long? referenceNumerator, long? referenceDenominator)
    {
        if (!MayShow(numerator, denominator) || !MayShow(referenceNumerator, referenceDenominator))
        {
            return DisclosedRatio.Hidden;
        }

        return numerator is { } a && denominator is { } nA && referenceNumerator is { } b && referenceDenominator is { } nB
               && RiskRatio.Compute(RoundCount(a), RoundCount(nA), RoundCount(b), RoundCount(nB)) is { } ratio
            ? new DisclosedRatio(false, ratio.Ratio, ratio.Ci95, ratio.Ci998)
            : DisclosedRatio.None;
    }

    /// <summary>
    /// A comparison's minimum detectable ratio (docs/detection.md, "Silence is not equity") as it may be published: recomputed from the
    /// rounded group
    /// denominator and reference counts (the MDR does not depend on the group's own events) at the alert rule of
    /// <paramref name="options"/>. When one of those counts is suppressed (1–7) the value is withheld, and the window is said
    /// to be unable to detect a doubling only if that holds for every count the <c>*</c> could stand for. Null when
    /// <paramref name="computed"/> is null (the row carries no MDR) or a count is missing.
    /// </summary>
    public static DetectableRatio? Detectable(
        DetectableRatio? computed,
        long? groupDenominator,
        long? referenceNumerator,
        long? referenceDenominator,
        bool lowerIsWorse,
        DetectionOptions? options = null)
    {
        if (computed is null || groupDenominator is not { } nA || referenceNumerator is not { } b || referenceDenominator is not { } nB)
        {
            return null;
        }

        options ??= DetectionOptions.Default;
        double? Mdr(long groupTotal, long events, long referenceTotal) =>
            MinimumDetectableRatio.Compute(
                groupTotal, events, referenceTotal, lowerIsWorse, options.AlertConfidence, options.MaterialRatio, options.MinimumEvents);
        if (!IsSmallNumber(nA) && MayShow(b, nB))
        {
            return new DetectableRatio(Mdr(RoundCount(nA), RoundCount(b), RoundCount(nB)));
        }

        static long[] Candidates(long count) =>
            IsSmallNumber(count) ? [.. Enumerable.Range(1, SmallNumberLimit).Select(k => (long)k)] : [RoundCount(count)];
        var possible = from x in Candidates(nA) from y in Candidates(b) from z in Candidates(nB) where y <= z select Mdr(x, y, z);
        var cannot = possible.All(r => r is not (not null and <= Detection.DetectableRatio.Doubling));
        return new DetectableRatio(null) { Withheld = true, CannotDetectDoubling = cannot };
    }

    /// <summary>The percentage <paramref name="part"/> is of <paramref name="whole"/>, from the rounded counts; null when either is suppressed.</summary>
    public static decimal? Share(long part, long whole) => MayShow(part, whole) ? PercentageRate(part, whole) : null;
}

/// <summary>A rate as it may be published: <see cref="IsHidden"/> under the small-number rule, else its value and 95% interval (null: none).</summary>
public sealed record DisclosedRate(bool IsHidden, double? Value, Interval? Ci = null)
{
    public static readonly DisclosedRate Hidden = new(true, null);

    public static readonly DisclosedRate None = new(false, null);
}

/// <summary>A ratio as it may be published: hidden under the small-number rule, else its value and intervals (null: none).</summary>
public sealed record DisclosedRatio(bool IsHidden, double? Value, Interval? Ci95 = null, Interval? Ci998 = null)
{
    public static readonly DisclosedRatio Hidden = new(true, null);

    public static readonly DisclosedRatio None = new(false, null);
}
