namespace Pipeline.Core.Model;

/// <summary>How a measure row is broken down. Wire names are the contract's snake_case strings.</summary>
public enum Breakdown
{
    Total,
    EthnicCategory,
    ImdDecile,
    ImdQuintile,
}

public static class BreakdownNames
{
    public const string Total = "total";
    public const string EthnicCategory = "ethnic_category";
    public const string ImdDecile = "imd_decile";
    public const string ImdQuintile = "imd_quintile";

    /// <summary>Every breakdown's wire name.</summary>
    public static readonly IReadOnlyList<string> All = [Total, EthnicCategory, ImdDecile, ImdQuintile];

    public static string ToWire(this Breakdown breakdown) => breakdown switch
    {
        Breakdown.Total => Total,
        Breakdown.EthnicCategory => EthnicCategory,
        Breakdown.ImdDecile => ImdDecile,
        Breakdown.ImdQuintile => ImdQuintile,
        _ => throw new ArgumentOutOfRangeException(nameof(breakdown), breakdown, null),
    };

    public static bool TryParse(string? wire, out Breakdown breakdown)
    {
        switch (wire)
        {
            case Total: breakdown = Breakdown.Total; return true;
            case EthnicCategory: breakdown = Breakdown.EthnicCategory; return true;
            case ImdDecile: breakdown = Breakdown.ImdDecile; return true;
            case ImdQuintile: breakdown = Breakdown.ImdQuintile; return true;
            default: breakdown = default; return false;
        }
    }
}
