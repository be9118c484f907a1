using Pipeline.Core.Reference;

namespace Pipeline.Core.Detection;

/// <summary>
/// Sums trust counts into their LMNS and region for each month, by the membership in force in that month (so a trust
/// that moved LMNS counts towards its old LMNS before the move and its new one after).
/// </summary>
public static class OrganisationRollup
{
    /// <summary>The LMNS- and region-level rows for the given trust-level rows (trusts with no membership that month are left out).</summary>
    public static IReadOnlyList<GroupCount> RollUp(IEnumerable<GroupCount> organisationCounts, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(organisationCounts);
        ArgumentNullException.ThrowIfNull(reference);
        var sums = new Dictionary<GroupCount, (long N, long D)>();
        foreach (var row in organisationCounts)
        {
            if (row.Level != Level.Organisation || reference.LmnsOf(row.OrganisationCode, row.Period) is not { } lmns)
            {
                continue;
            }

            Add(sums, row with { Level = Level.Lmns, OrganisationCode = lmns, Numerator = 0, Denominator = 0 }, row);
            if (reference.FindLmns(lmns, row.Period)?.RegionCode is { } region)
            {
                Add(sums, row with { Level = Level.Region, OrganisationCode = region, Numerator = 0, Denominator = 0 }, row);
            }
        }

        return [.. sums.Select(s => s.Key with { Numerator = s.Value.N, Denominator = s.Value.D })];
    }

    /// <summary>Trust rows plus their roll-ups: every level the engine evaluates.</summary>
    public static IReadOnlyList<GroupCount> WithRollUps(IReadOnlyCollection<GroupCount> organisationCounts, ReferenceData reference) =>
        [.. organisationCounts, .. RollUp(organisationCounts, reference)];

    private static void Add(Dictionary<GroupCount, (long N, long D)> sums, GroupCount key, GroupCount row)
    {
        var (n, d) = sums.GetValueOrDefault(key);
        sums[key] = (n + row.Numerator, d + row.Denominator);
    }
}
