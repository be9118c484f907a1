using System.Globalization;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Publishing;

/// <summary>
/// The one place a published rate, its interval, a ratio and a gap are computed and rounded for print (docs/disclosure.md):
/// every figure from the rounded (disclosure-controlled) counts — the rate exactly, in decimal arithmetic, from the rounded
/// numerator and denominator; its 95% interval Wilson's of those counts; the ratio Katz's of the four rounded counts — and
/// each rounded half away from zero to the precision it is printed at. So a reader who divides the printed counts gets the
/// printed rate, and the email card, the report and the CLI print the same figures. Hidden (null value) when a count is
/// suppressed, under <see cref="Disclosure"/>'s rule.
/// </summary>
public static class PublishedFigures
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Decimal places a rate is printed with: 1 for a percentage, 2 per 1,000.</summary>
    public static int RateDecimals(int multiplier) => multiplier == 1000 ? 2 : 1;

    /// <summary>Decimal places a ratio and its interval are printed with.</summary>
    public const int RatioDecimals = 2;

    /// <summary>A group's published rate in the indicator's units, its 95% Wilson interval and counts, rounded for print.</summary>
    public static PublishedRate Rate(long? numerator, long? denominator, int multiplier)
    {
        var counts = numerator is { } n && denominator is { } d
            ? $"{Disclosure.FormatCount(n)} of {Disclosure.FormatCount(d)}"
            : null;
        var disclosed = Disclosure.Rate(numerator, denominator, multiplier);
        if (disclosed.IsHidden || disclosed.Value is null || numerator is not { } x || denominator is not { } total)
        {
            return new PublishedRate(disclosed.IsHidden, null, null, null, multiplier, counts);
        }

        var (rx, rn) = (Disclosure.RoundCount(x), Disclosure.RoundCount(total));
        var decimals = RateDecimals(multiplier);
        var value = Math.Round(multiplier * (decimal)rx / rn, decimals, MidpointRounding.AwayFromZero);
        var ci = WilsonScore.Interval(rx, rn, Confidence.Warning);
        decimal? lower = ci is { } i ? Round(i.Lower * multiplier, decimals) : null;
        decimal? upper = ci is { } j ? Round(j.Upper * multiplier, decimals) : null;
        return new PublishedRate(false, value, lower, upper, multiplier, counts);
    }

    /// <summary>A group's published ratio to its reference with 95% and 99.8% Katz intervals, rounded for print.</summary>
    public static PublishedRatio Ratio(long? numerator, long? denominator, long? referenceNumerator, long? referenceDenominator) =>
        Rounded(Disclosure.Ratio(numerator, denominator, referenceNumerator, referenceDenominator));

    /// <summary>A disclosed ratio (or a gradient's RII, published as computed) rounded for print.</summary>
    public static PublishedRatio Rounded(DisclosedRatio ratio)
    {
        ArgumentNullException.ThrowIfNull(ratio);
        return new PublishedRatio(
            ratio.IsHidden,
            ratio.Value is { } v ? Round(v, RatioDecimals) : null,
            ratio.Ci95 is { } a ? (Round(a.Lower, RatioDecimals), Round(a.Upper, RatioDecimals)) : null,
            ratio.Ci998 is { } b ? (Round(b.Lower, RatioDecimals), Round(b.Upper, RatioDecimals)) : null);
    }

    /// <summary>The group's printed rate minus the reference's printed rate: exactly the difference of the two figures shown.</summary>
    public static decimal? Gap(PublishedRate group, PublishedRate reference)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(reference);
        return group.Value is { } g && reference.Value is { } r ? g - r : null;
    }

    /// <summary>A figure as printed: the rounded decimal with exactly <paramref name="decimals"/> places.</summary>
    public static string Format(decimal value, int decimals) => value.ToString("F" + decimals.ToString(Invariant), Invariant);

    private static decimal Round(double value, int decimals) =>
        Math.Round((decimal)value, decimals, MidpointRounding.AwayFromZero);
}

/// <summary>
/// A rate as printed: <see cref="Value"/> and the 95% interval in the indicator's units, rounded to
/// <see cref="PublishedFigures.RateDecimals"/>; null when hidden or when there is no denominator. <see cref="Counts"/> is
/// "10 of 125" (rounded counts) when the counts are known.
/// </summary>
public sealed record PublishedRate(bool IsHidden, decimal? Value, decimal? Lower, decimal? Upper, int Multiplier, string? Counts)
{
    public int Decimals => PublishedFigures.RateDecimals(Multiplier);

    public bool PerThousand => Multiplier == 1000;

    /// <summary>"8.0%" or "4.15 per 1,000"; null without a value.</summary>
    public string? Text => Value is { } v ? Figure(v) : null;

    /// <summary>A value in this rate's units as printed: "8.0%" or "4.15 per 1,000".</summary>
    public string Figure(decimal value) => PublishedFigures.Format(value, Decimals) + (PerThousand ? " per 1,000" : "%");

    /// <summary>The interval's limits as printed, with the unit for a percentage ("4.4%", "14.1%"; "2.10", "7.95" per 1,000).</summary>
    public (string Lower, string Upper)? Limits => Lower is { } l && Upper is { } u ? (Limit(l), Limit(u)) : null;

    private string Limit(decimal value) => PublishedFigures.Format(value, Decimals) + (PerThousand ? string.Empty : "%");
}

/// <summary>
/// A ratio as printed: value and intervals rounded to <see cref="PublishedFigures.RatioDecimals"/>; null when hidden or none.
/// </summary>
public sealed record PublishedRatio(
    bool IsHidden, decimal? Value, (decimal Lower, decimal Upper)? Ci95, (decimal Lower, decimal Upper)? Ci998)
{
    public static string Format(decimal value) => PublishedFigures.Format(value, PublishedFigures.RatioDecimals);
}
