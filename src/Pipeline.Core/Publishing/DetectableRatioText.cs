using System.Globalization;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Publishing;

/// <summary>
/// "Silence is not equity" (statistics.md §7a): how reports and emails say what a comparison's window could have detected.
/// The minimum detectable ratio is a ratio (which on its own reveals no count), but it is computed from the reference
/// group's events, so its value is withheld when that count is a small number (1–7) under <see cref="Disclosure"/>; the
/// plain statement of whether a doubling could have been detected is kept.
/// </summary>
public static class DetectableRatioText
{
    /// <summary>
    /// One sentence for a comparison: e.g. "could not have detected a doubling: the smallest ratio this 12-month window
    /// could alert on is 3.4 (such a ratio is alerted about half the time)".
    /// </summary>
    public static string Describe(DetectableRatio detectable, long referenceNumerator, int windowMonths)
    {
        var window = string.Create(CultureInfo.InvariantCulture, $"{windowMonths}-month window");
        ArgumentNullException.ThrowIfNull(detectable);
        if (detectable.Ratio is not { } mdr)
        {
            return $"too few events to tell: no ratio could have raised an alert in this {window}";
        }

        var value = Disclosure.IsSmallNumber(referenceNumerator)
            ? $"withheld ({Disclosure.RateHiddenReason} in the reference group)"
            : mdr.ToString("0.0#", CultureInfo.InvariantCulture);
        var prefix = detectable.CannotDetectDoubling ? "could not have detected a doubling: " : string.Empty;
        return $"{prefix}the smallest ratio this {window} could alert on is {value} (a gap that size is alerted about half the time)";
    }
}
