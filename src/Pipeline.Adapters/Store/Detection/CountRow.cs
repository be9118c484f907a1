namespace Pipeline.Adapters.Store.Detection;

/// <summary>
/// One <c>detection_count</c> row as stored: level and organisation, month (<c>yyyy-MM</c>), indicator, breakdown, then the
/// twelve counts n1…n6, d1…d6 in <see cref="Core.Detection.ComparisonGroups.All"/> order.
/// </summary>
public sealed record CountRow(string Level, string Code, string Period, string Indicator, string Breakdown, IReadOnlyList<long> Values);
