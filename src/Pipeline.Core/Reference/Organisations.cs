namespace Pipeline.Core.Reference;

/// <summary>An NHS England region (Y56…Y63).</summary>
public sealed record Region(string Code, string OnsCode, string Name);

/// <summary>A Local Maternity and Neonatal System, keyed by its ICB's ODS code; ICBs merge, so it has effective dates.</summary>
public sealed record Lmns(string Code, string Name, string RegionCode, DateOnly? EffectiveFrom, DateOnly? EffectiveTo)
{
    public bool IsActiveIn(Model.Period period) => Effective.Overlaps(EffectiveFrom, EffectiveTo, period);
}

/// <summary>An NHS trust with maternity services; trusts close and merge, so it has effective dates.</summary>
public sealed record Trust(string Code, string Name, DateOnly? EffectiveFrom, DateOnly? EffectiveTo, int? Deliveries2022To23, string? MbrraceGroup)
{
    public bool IsActiveIn(Model.Period period) => Effective.Overlaps(EffectiveFrom, EffectiveTo, period);
}

/// <summary>Which LMNS a trust belongs to, and when.</summary>
public sealed record Membership(string TrustCode, string LmnsCode, DateOnly? EffectiveFrom, DateOnly? EffectiveTo)
{
    public bool IsActiveIn(Model.Period period) => Effective.Overlaps(EffectiveFrom, EffectiveTo, period);
}

internal static class Effective
{
    /// <summary>A dated row applies to a month when its dates overlap any day of that month (open ends are unbounded).</summary>
    public static bool Overlaps(DateOnly? from, DateOnly? to, Model.Period period) =>
        (from is null || from.Value <= period.LastDay) && (to is null || to.Value >= period.FirstDay);
}
