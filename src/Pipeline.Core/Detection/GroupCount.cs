using Pipeline.Core.Model;

namespace Pipeline.Core.Detection;

/// <summary>
/// One month's counts for one broad group (ethnic group White/Mixed/Asian/Black/Other/Unknown, or IMD quintile 1–5/U)
/// of one indicator at one organisation: the engine's input.
/// </summary>
public sealed record GroupCount(
    Period Period,
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    ComparisonBreakdown Breakdown,
    string GroupCode,
    long Numerator,
    long Denominator);

/// <summary>Identifies one monthly series: a level, organisation, indicator and breakdown.</summary>
public readonly record struct SeriesKey(Level Level, string OrganisationCode, string IndicatorCode, ComparisonBreakdown Breakdown);

/// <summary>A window to (re)compute: everything for one organisation at one level for the window ending at a period.</summary>
public readonly record struct WindowKey(Level Level, string OrganisationCode, Period PeriodEnd);
