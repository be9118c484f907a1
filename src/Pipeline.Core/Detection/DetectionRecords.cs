using Pipeline.Core.Model;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Detection;

/// <summary>
/// One row of <c>v_group_comparison</c> (design §5): a group against its reference over one window. Values and CIs are
/// × the indicator's multiplier; CIs are 95% unless named 998. Null where there is no value (a zero denominator).
/// </summary>
/// <param name="MonthsPresent">Months of the window that had data; below 3/4 of the window the row never signals.</param>
/// <param name="AbsoluteDifference">(p_group − p_reference) × multiplier.</param>
/// <param name="Rule">The rule that produced the signal (ratio or spc), None when there is no signal.</param>
/// <param name="Spc">The special cause on the monthly ln(RR) series at this period, if any (in either direction).</param>
/// <param name="SpcConcern">The special cause points the worse way (a watch on its own).</param>
/// <param name="HaldaneCorrected">A zero numerator made the ratio use the Haldane–Anscombe 0.5 correction.</param>
/// <param name="InhibitedReason">Why signals are inhibited (data quality), null when they are not.</param>
public sealed record GroupComparison(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    ComparisonBreakdown Breakdown,
    string GroupCode,
    string ReferenceGroupCode,
    int WindowMonths,
    Period PeriodEnd,
    int MonthsPresent,
    long Numerator,
    long Denominator,
    double? Value,
    double? CiLower,
    double? CiUpper,
    long ReferenceNumerator,
    long ReferenceDenominator,
    double? ReferenceValue,
    double? RateRatio,
    double? RrCiLower,
    double? RrCiUpper,
    double? RrCiLower998,
    double? RrCiUpper998,
    double? AbsoluteDifference,
    bool HaldaneCorrected,
    Direction Direction,
    Signal Signal,
    SignalRule Rule,
    SpecialCauseRule Spc,
    bool SpcConcern,
    string? InhibitedReason)
{
    public bool Inhibited => InhibitedReason is not null;

    /// <summary>
    /// "Silence is not equity" (docs/detection.md, "Silence is not equity"): what this window could have alerted (the engine sets it on
    /// every row
    /// with a comparison; null when there is no comparison, or on a row read from before it was stored).
    /// </summary>
    public DetectableRatio? Detectable { get; init; }

    /// <summary>
    /// The Poisson CUSUM statistic of the group's monthly events against the reference's rate (docs/detection.md, "Rare outcomes"), for
    /// rare-event indicators; null otherwise (or without reference events).
    /// </summary>
    public double? Cusum { get; init; }

    /// <summary>The CUSUM's decision interval h when the indicator is monitored by it; an alert when <see cref="Cusum"/> ≥ h.</summary>
    public double? CusumThreshold { get; init; }
}

/// <summary>
/// The smallest factor by which a group's rate could be worse than its reference's and be alerted on its window's expected
/// counts (<see cref="Statistics.MinimumDetectableRatio"/>), in the worse direction (for a higher-is-better indicator, 2 means
/// half the reference's rate). <paramref name="Ratio"/> is null when no ratio could be (too few reference events, too small a group).
/// </summary>
public sealed record DetectableRatio(double? Ratio)
{
    /// <summary>The ratio the heat map and emails test against.</summary>
    public const double Doubling = 2.0;

    private readonly bool? _cannotDetectDoubling;

    /// <summary>
    /// Set only on a published value (<see cref="Publishing.Disclosure.Detectable"/>): the ratio rests on a suppressed count
    /// (1–7), so <see cref="Ratio"/> is null and not shown; <see cref="CannotDetectDoubling"/> then says what every count the
    /// <c>*</c> could stand for gives.
    /// </summary>
    public bool Withheld { get; init; }

    /// <summary>The window could not have alerted a doubling: no MDR, or an MDR above 2 (for a withheld value: as set).</summary>
    public bool CannotDetectDoubling
    {
        get => _cannotDetectDoubling ?? Ratio is not (not null and <= Doubling);
        init => _cannotDetectDoubling = value;
    }
}

/// <summary>
/// One row of <c>v_deprivation_gradient</c> (design §5): SII and RII over IMD quintiles, 95% simulated limits, oriented
/// so SII &gt; 0 and RII &gt; 1 mean the most deprived fare worse (for neutral indicators: have the higher value).
/// SII is in the indicator's units (× multiplier). Null indices when a quintile has no denominator; a null RII (with an SII)
/// when the fitted line reaches zero at one end, where a ratio of the ends means nothing.
/// </summary>
public sealed record DeprivationGradient(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    int WindowMonths,
    Period PeriodEnd,
    int MonthsPresent,
    double? Sii,
    double? SiiCiLower,
    double? SiiCiUpper,
    double? Rii,
    double? RiiCiLower,
    double? RiiCiUpper,
    Signal Signal,
    string? InhibitedReason)
{
    public const string GroupCode = "gradient";

    public bool Inhibited => InhibitedReason is not null;

    /// <summary>
    /// The RII's simulated 99.8% limits: a gradient alert needs them to exclude 1 (the 95% ones, a watch). Kept in the
    /// <c>deprivation_gradient</c> table beside the 95% ones, as <c>group_comparison</c> keeps the ratio's; the view shows
    /// the design's columns.
    /// </summary>
    public double? RiiCiLower998 { get; init; }

    public double? RiiCiUpper998 { get; init; }
}

/// <summary>A data-quality finding raised instead of equity signals: too many unknown ethnicities or unassignable IMD.</summary>
public sealed record DataQualityFinding(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    ComparisonBreakdown Breakdown,
    int WindowMonths,
    Period PeriodEnd,
    long UnknownDenominator,
    long TotalDenominator,
    double UnknownShare,
    double Threshold,
    string Message);

/// <summary>Everything the engine produced for one series at one period.</summary>
public sealed record SeriesEvaluation(
    IReadOnlyList<GroupComparison> Comparisons,
    DeprivationGradient? Gradient,
    DataQualityFinding? DataQuality);

/// <summary>Everything the engine produced for a set of windows.</summary>
public sealed record DetectionResult(
    IReadOnlyList<GroupComparison> Comparisons,
    IReadOnlyList<DeprivationGradient> Gradients,
    IReadOnlyList<DataQualityFinding> DataQuality);
