using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Core.Tests.Alerts.Rendering;

/// <summary>
/// Finds numbers shown as counts in an email and flags any that is not disclosure-controlled. A count is a number next
/// to a count label: "counts: N of M" (the renderer's form), "N events/births/deaths/women/babies", or
/// "numerator/denominator/events: N". Thresholds ("≥ 5 events", "fewer than 8 events", "at least 5 events") are not
/// counts and are skipped. Allowed values: 0, *, or a multiple of 5 of at least 10 — so 1–7 and any unrounded count fail.
/// </summary>
internal static partial class DisclosureScan
{
    public static IReadOnlyList<string> Counts(string text) =>
    [
        .. CountPair().Matches(text).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value }),
        .. NumberBeforeLabel().Matches(text).Select(m => m.Groups[1].Value),
        .. NumberAfterLabel().Matches(text).Select(m => m.Groups[1].Value),
    ];

    public static IReadOnlyList<string> Violations(string text) => [.. Counts(text).Where(c => !IsControlled(c))];

    private static bool IsControlled(string count)
    {
        if (count is "*" or "0")
        {
            return true;
        }

        var n = long.Parse(count.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        return n >= 10 && n % 5 == 0;
    }

    [GeneratedRegex(@"counts?:\s*([\d,]+|\*)\s+of\s+([\d,]+|\*)", RegexOptions.IgnoreCase)]
    private static partial Regex CountPair();

    [GeneratedRegex(@"(?<![≥≤<>]\s?|&[lg]t;\s?|at least\s|fewer than\s|more than\s|[\d.,])(\d[\d,]*)\s+(?:events?|births?|deaths?|stillbirths?|women|babies)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberBeforeLabel();

    [GeneratedRegex(@"\b(?:numerator|denominator|events?|births?)\s*[:=]\s*(\d[\d,]*)", RegexOptions.IgnoreCase)]
    private static partial Regex NumberAfterLabel();
}
