using System.Globalization;

namespace Pipeline.Core.Publishing;

/// <summary>
/// MSDS disclosure control for every count and rate that leaves the store (emails, reports). Rules from NHS England's
/// Maternity Services Data Set publications (reference/source/disclosure_rules.csv, sources S4, S5, S17):
/// <list type="bullet">
/// <item>counts: 0 stays 0; 1–7 is suppressed (shown as <c>*</c>; MSDS tables publish 5); 8 or more is rounded to the nearest 5;</item>
/// <item>percentage rates: computed from the rounded numerator and rounded denominator, 1 decimal place, half-up;</item>
/// <item>rare-event rates per 1,000: computed from the unrounded counts, and not shown at all where the numerator is below 8;</item>
/// <item>ratios and their confidence intervals are shown (they do not reveal a count on their own).</item>
/// </list>
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

    /// <summary>A rare-event rate per 1,000 from the unrounded counts; null (not shown) when the numerator is below 8 or there is no denominator.</summary>
    public static double? PerThousandRate(long numerator, long denominator) =>
        numerator <= SmallNumberLimit || denominator <= 0 ? null : 1000.0 * numerator / denominator;

    /// <summary>Whether a value computed from <paramref name="numerator"/> may be shown for an indicator of this kind.</summary>
    public static bool MayShowRate(bool perThousand, long? numerator) => !perThousand || numerator is > SmallNumberLimit;

    /// <summary>Why a hidden rate is hidden, in the words every output uses.</summary>
    public static readonly string RateHiddenReason = $"fewer than {SmallNumberLimit + 1} events";

    /// <summary>
    /// The group value that may be published, the one decision behind every email and report: hidden for a per-1,000
    /// indicator below 8 events; for a percentage, recomputed from the rounded counts when they are known; otherwise the
    /// stored value (null when there is none).
    /// </summary>
    public static DisclosedRate Rate(bool perThousand, double? value, long? numerator, long? denominator) =>
        !MayShowRate(perThousand, numerator) ? DisclosedRate.Hidden
        : new DisclosedRate(false, !perThousand && numerator is { } n && denominator is { } d ? (double?)PercentageRate(n, d) : value);
}

/// <summary>A rate as it may be published: <see cref="IsHidden"/> under the small-number rule, else its value (null: none).</summary>
public sealed record DisclosedRate(bool IsHidden, double? Value)
{
    public static readonly DisclosedRate Hidden = new(true, null);
}
