using System.Globalization;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Publishing;

/// <summary>
/// "Silence is not equity" (docs/detection.md, "Silence is not equity"): how reports and emails say what a comparison's window could have
/// detected.
/// The value described is the published one (<see cref="Disclosure.Detectable"/>): recomputed from the rounded counts, or
/// withheld when a count it rests on is a small number; the plain statement of whether a doubling could have been
/// detected is kept whenever every count the <c>*</c> could stand for agrees.
/// </summary>
public static class DetectableRatioText
{
    /// <summary>
    /// One sentence for a comparison: e.g. "could not have detected a doubling: the smallest ratio this 12-month window
    /// could alert on is 3.4 (a gap that size is alerted about half the time)".
    /// </summary>
    public static string Describe(DetectableRatio published, int windowMonths)
    {
        ArgumentNullException.ThrowIfNull(published);
        var window = string.Create(CultureInfo.InvariantCulture, $"{windowMonths}-month window");
        var prefix = published.CannotDetectDoubling ? "could not have detected a doubling: " : string.Empty;
        if (published.Withheld)
        {
            return $"{prefix}the smallest ratio this {window} could alert on is withheld " +
                $"({Disclosure.RateHiddenReason} in a count it rests on)";
        }

        if (published.Ratio is not { } mdr)
        {
            return $"too few events to tell: no ratio could have raised an alert in this {window}";
        }

        var value = mdr.ToString("0.0#", CultureInfo.InvariantCulture);
        return $"{prefix}the smallest ratio this {window} could alert on is {value} (a gap that size is alerted about half the time)";
    }
}
