using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Core.Synthetic;

/// <summary>
/// A divergence planted in generated data: from <paramref name="Onset"/>, the group's outcome at the place is worse than
/// everyone else's by <paramref name="Ratio"/>. "Worse by a factor r" means the rate × r for higher-is-worse (and neutral)
/// indicators, and the rate ÷ r for higher-is-better ones (booking by 10 weeks at 61.3% with r = 2 becomes 30.65%), so the
/// true risk ratio against the reference is r or 1/r — the quantity the alert rule's materiality threshold (1.25 / 0.8) reads.
/// </summary>
/// <param name="Level">Organisation (one trust) or Lmns (every trust in it that month).</param>
public sealed record PlantedDivergence(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    ComparisonBreakdown Breakdown,
    string GroupCode,
    double Ratio,
    Period Onset);

/// <summary>A trust that records ethnicity poorly: Z + 99 make up <paramref name="UnknownShare"/> of its women.</summary>
public sealed record PoorEthnicityRecording(string TrustCode, double UnknownShare);

/// <summary>What to generate. Deterministic: the same scenario gives the same submissions.</summary>
public sealed record SyntheticScenario
{
    public ulong Seed { get; init; } = 1;

    public Period Start { get; init; } = new(2024, 4);

    public int Months { get; init; } = 24;

    /// <summary>Trusts to generate (null: every trust active each month, by the reference data).</summary>
    public IReadOnlyList<string>? TrustCodes { get; init; }

    /// <summary>Indicators to generate (null: the whole catalogue).</summary>
    public IReadOnlyList<string>? IndicatorCodes { get; init; }

    public IReadOnlyList<PlantedDivergence> Divergences { get; init; } = [];

    public IReadOnlyList<PoorEthnicityRecording> PoorEthnicityRecording { get; init; } = [];

    /// <summary>Share of trusts that report IMD quintiles instead of deciles (each trust sticks to one).</summary>
    public double ImdQuintileReporterShare { get; init; } = 0.25;

    /// <summary>
    /// Caps on the not-stated (Z) and not-known (99) shares taken from the trust's 2022-23 figures. Real recording is
    /// worse than 10% at about a fifth of trusts, which would inhibit their ethnicity signals; poor recording is an
    /// explicit option (<see cref="PoorEthnicityRecording"/>) instead.
    /// </summary>
    public double MaxNotStatedShare { get; init; } = 0.05;

    public double MaxNotKnownShare { get; init; } = 0.03;

    /// <summary>Cap on the non-assignable IMD (U) share.</summary>
    public double MaxUnassignableShare { get; init; } = 0.03;
}
