using System.Globalization;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Publishing;

/// <summary>
/// The one sentence that says why a series' equity comparisons are withheld (unknown ethnicity or IMD above the threshold).
/// It travels into reports, emails and the store's inhibited_reason, so its share and counts are published under
/// <see cref="Disclosure"/>: from the rounded counts, and a suppressed count is never narrowed down by a percentage.
/// </summary>
public static class DataQualityText
{
    public static string Sentence(ComparisonBreakdown breakdown, long unknown, long total, int windowMonths, double threshold)
    {
        var what = breakdown == ComparisonBreakdown.EthnicGroup ? "Ethnicity not stated or not known (Z, 99)" : "IMD not assignable (U)";
        var which = breakdown == ComparisonBreakdown.EthnicGroup ? "ethnic group" : "deprivation";
        var amount = Disclosure.Share(unknown, total) is { } share
            ? string.Create(CultureInfo.InvariantCulture,
                $"{share:0.0}% of the {windowMonths}-month window's denominator (counts: {Disclosure.FormatCount(unknown)} of {Disclosure.FormatCount(total)})")
            : $"more of the {windowMonths}-month window's records than the threshold allows (the counts are too small to publish)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{what} for {amount}, above the {threshold * 100:0.#}% threshold: {which} comparisons are withheld until recording improves.");
    }
}
