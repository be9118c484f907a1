namespace Pipeline.Core.Reference;

/// <summary>An IMD decile (1 = most deprived) and its quintile (Q1 = deciles 1–2, most deprived).</summary>
public sealed record ImdDecile(int Decile, int Quintile, string Label);

public static class ImdGroups
{
    /// <summary>Not assignable (no English LSOA): counted in totals, never compared.</summary>
    public const string Unassignable = "U";

    /// <summary>The least deprived quintile, the reference every other quintile is compared with.</summary>
    public const int ReferenceQuintile = 5;
}
