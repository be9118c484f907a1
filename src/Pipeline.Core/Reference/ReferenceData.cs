using System.Collections.Frozen;
using Pipeline.Core.Model;

namespace Pipeline.Core.Reference;

/// <summary>
/// The reference data every step judges against: indicator catalogue, ethnic categories, IMD deciles, and the
/// organisation hierarchy with effective dates. Immutable once loaded; load it once at start.
/// </summary>
public sealed class ReferenceData
{
    private readonly FrozenDictionary<string, Indicator> _indicators;
    private readonly FrozenDictionary<string, EthnicCategory> _ethnicCategories;
    private readonly FrozenDictionary<int, ImdDecile> _deciles;
    private readonly FrozenDictionary<string, Trust> _trusts;
    private readonly FrozenDictionary<string, Lmns[]> _lmns;
    private readonly FrozenDictionary<string, Region> _regions;
    private readonly FrozenDictionary<string, Membership[]> _memberships;

    public ReferenceData(
        IEnumerable<Indicator> indicators,
        IEnumerable<EthnicCategory> ethnicCategories,
        IEnumerable<ImdDecile> deciles,
        IEnumerable<Region> regions,
        IEnumerable<Lmns> lmns,
        IEnumerable<Trust> trusts,
        IEnumerable<Membership> memberships)
    {
        Indicators = [.. indicators];
        EthnicCategories = [.. ethnicCategories];
        Deciles = [.. deciles];
        Regions = [.. regions];
        LmnsList = [.. lmns];
        Trusts = [.. trusts];
        Memberships = [.. memberships];
        _indicators = Indicators.ToFrozenDictionary(i => i.Code, StringComparer.Ordinal);
        _ethnicCategories = EthnicCategories.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);
        _deciles = Deciles.ToFrozenDictionary(d => d.Decile);
        _regions = Regions.ToFrozenDictionary(r => r.Code, StringComparer.Ordinal);
        _trusts = Trusts.ToFrozenDictionary(t => t.Code, StringComparer.Ordinal);
        _lmns = LmnsList.GroupBy(l => l.Code, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _memberships = Memberships.GroupBy(m => m.TrustCode, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<Indicator> Indicators { get; }

    public IReadOnlyList<EthnicCategory> EthnicCategories { get; }

    public IReadOnlyList<ImdDecile> Deciles { get; }

    public IReadOnlyList<Region> Regions { get; }

    public IReadOnlyList<Lmns> LmnsList { get; }

    public IReadOnlyList<Trust> Trusts { get; }

    public IReadOnlyList<Membership> Memberships { get; }

    /// <summary>The reference data shipped with this build (the <c>reference/</c> folder of the repository).</summary>
    public static ReferenceData Embedded { get; } = ReferenceDataLoader.LoadEmbedded();

    public Indicator? FindIndicator(string code) => _indicators.GetValueOrDefault(code);

    public EthnicCategory? FindEthnicCategory(string code) => _ethnicCategories.GetValueOrDefault(code);

    public ImdDecile? FindDecile(int decile) => _deciles.GetValueOrDefault(decile);

    public Trust? FindTrust(string code) => _trusts.GetValueOrDefault(code);

    public Region? FindRegion(string code) => _regions.GetValueOrDefault(code);

    /// <summary>The LMNS record in force for <paramref name="period"/> (an LMNS code can be reused across reorganisations).</summary>
    public Lmns? FindLmns(string code, Period period) =>
        _lmns.TryGetValue(code, out var rows) ? rows.FirstOrDefault(l => l.IsActiveIn(period)) ?? rows[^1] : null;

    /// <summary>The trust is a known trust that is open during <paramref name="period"/>.</summary>
    public bool IsTrustActive(string code, Period period) => FindTrust(code)?.IsActiveIn(period) == true;

    /// <summary>The LMNS a trust belonged to in <paramref name="period"/>, by the membership then in force.</summary>
    public string? LmnsOf(string trustCode, Period period) =>
        _memberships.TryGetValue(trustCode, out var rows) ? rows.FirstOrDefault(m => m.IsActiveIn(period))?.LmnsCode : null;

    /// <summary>The region a trust belonged to in <paramref name="period"/>, through its LMNS.</summary>
    public string? RegionOf(string trustCode, Period period) =>
        LmnsOf(trustCode, period) is { } lmns ? FindLmns(lmns, period)?.RegionCode : null;

    /// <summary>Trusts expected to submit for <paramref name="period"/>: open then, with a membership in force.</summary>
    public IEnumerable<Trust> TrustsActiveIn(Period period) =>
        Trusts.Where(t => t.IsActiveIn(period) && LmnsOf(t.Code, period) is not null);

    /// <summary>Trusts in an LMNS for <paramref name="period"/>.</summary>
    public IEnumerable<string> TrustsInLmns(string lmnsCode, Period period) =>
        Memberships.Where(m => m.LmnsCode == lmnsCode && m.IsActiveIn(period) && IsTrustActive(m.TrustCode, period))
            .Select(m => m.TrustCode);
}
