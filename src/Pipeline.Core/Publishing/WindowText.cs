using System.Globalization;

namespace Pipeline.Core.Publishing;

/// <summary>
/// The words every output (alert email cards, the equity report, <c>pipeline alerts</c>) uses for a window with months
/// missing: a window is partial when fewer of its months had an accepted submission than its length
/// (<c>months_present &lt; window_months</c>, <c>window_complete = 0</c> in the views: docs/querying.md).
/// </summary>
public static class WindowText
{
    /// <summary>Whether a window of <paramref name="windowMonths"/> with <paramref name="monthsPresent"/> months of data is partial.
    /// </summary>
    public static bool IsPartial(int windowMonths, int? monthsPresent) => monthsPresent is { } present && present < windowMonths;

    /// <summary>"partial: 9 of 12 months with data", or null for a complete window (or when the months present are not known).</summary>
    public static string? Partial(int windowMonths, int? monthsPresent) =>
        IsPartial(windowMonths, monthsPresent)
            ? string.Create(CultureInfo.InvariantCulture, $"partial: {monthsPresent} of {windowMonths} months with data")
            : null;
}
