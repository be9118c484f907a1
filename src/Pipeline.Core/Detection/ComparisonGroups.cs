using System.Globalization;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Detection;

/// <summary>The group codes of each comparison breakdown, which is the reference, and which are never compared.</summary>
public static class ComparisonGroups
{
    /// <summary>IMD quintile codes, most deprived first.</summary>
    public static readonly IReadOnlyList<string> Quintiles = ["1", "2", "3", "4", "5"];

    public static string ReferenceGroup(ComparisonBreakdown breakdown) => breakdown == ComparisonBreakdown.EthnicGroup
        ? BroadGroups.Reference
        : ImdGroups.ReferenceQuintile.ToString(CultureInfo.InvariantCulture);

    /// <summary>The unknown bucket (Z + 99, or IMD U): counted in totals, never compared, feeds the data-quality gate.</summary>
    public static string UnknownGroup(ComparisonBreakdown breakdown) =>
        breakdown == ComparisonBreakdown.EthnicGroup ? BroadGroups.Unknown : ImdGroups.Unassignable;

    /// <summary>Every group of a breakdown: the known groups in display order, then the unknown bucket.</summary>
    public static IReadOnlyList<string> All(ComparisonBreakdown breakdown) => breakdown == ComparisonBreakdown.EthnicGroup
        ? [.. BroadGroups.Known, BroadGroups.Unknown]
        : [.. Quintiles, ImdGroups.Unassignable];

    /// <summary>The groups compared with the reference, in display order.</summary>
    public static IReadOnlyList<string> Compared(ComparisonBreakdown breakdown) => breakdown == ComparisonBreakdown.EthnicGroup
        ? [.. BroadGroups.Known.Where(g => g != BroadGroups.Reference)]
        : [.. Quintiles.Where(q => q != ReferenceGroup(breakdown))];
}
