using Pipeline.Core.Publishing;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Reporting;

/// <summary>
/// Everything the LMNS equity report shows for one period: the LMNS and its trusts' group comparisons, deprivation
/// gradients, the firing signals with their monthly series, data-quality findings and who has submitted. Counts are
/// held unrounded; the renderer applies disclosure control to every count and rate it prints.
/// </summary>
/// <param name="Organisations">The LMNS first, then its trusts in the order they are shown.</param>
/// <param name="Indicators">The catalogue rows of the indicators that have comparisons, in display order.</param>
public sealed record EquityReportModel(
    string LmnsCode,
    string LmnsName,
    Period Period,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<ReportOrganisation> Organisations,
    IReadOnlyList<ReportIndicator> Indicators,
    IReadOnlyList<ReportComparison> Comparisons,
    IReadOnlyList<ReportGradient> Gradients,
    IReadOnlyList<ReportAlert> Alerts,
    IReadOnlyList<ReportDataQuality> DataQuality,
    IReadOnlyList<ReportSubmissionStatus> Submissions)
{
    /// <summary>
    /// Whose report: an LMNS (the default; <see cref="LmnsCode"/> and <see cref="LmnsName"/> name it, its trusts follow it in
    /// <see cref="Organisations"/>) or a region (they name the region; its LMNSs follow it).
    /// </summary>
    public Core.Alerts.RoutingScope Scope { get; init; } = Core.Alerts.RoutingScope.Lmns;

    /// <summary>
    /// When the latest file the report lists arrived (its data cut-off); <see cref="GeneratedAt"/> is never earlier. Null when
    /// no file is listed.
    /// </summary>
    public DateTimeOffset? DataCutOff { get; init; }
}

/// <summary>An organisation the report covers: the LMNS itself or one of its trusts.</summary>
public sealed record ReportOrganisation(Level Level, string Code, string Name);

/// <summary>What the report needs of a catalogue indicator.</summary>
public sealed record ReportIndicator(string Code, string Name, int Multiplier, Polarity Polarity)
{
    /// <summary>The catalogue's <c>rare_event</c> flag: its trend is a cumulative-events chart, not monthly p-charts.</summary>
    public bool RareEvent { get; init; }

    public static ReportIndicator From(Indicator indicator)
    {
        ArgumentNullException.ThrowIfNull(indicator);
        return new ReportIndicator(indicator.Code, indicator.Name, indicator.Multiplier, indicator.Polarity)
        {
            RareEvent = indicator.RareEvent,
        };
    }
}

/// <summary>
/// One group against its reference over the window ending at the report's period (the columns of
/// <c>v_group_comparison</c>, plus the reference counts and the rule, which the report shows with every number).
/// Values and their CIs are × the indicator's multiplier; ratio CIs are 95% unless named 998.
/// </summary>
public sealed record ReportComparison(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    ComparisonBreakdown Breakdown,
    string GroupCode,
    string ReferenceGroupCode,
    int WindowMonths,
    long Numerator,
    long Denominator,
    double? Value,
    double? CiLower,
    double? CiUpper,
    long? ReferenceNumerator,
    long? ReferenceDenominator,
    double? ReferenceValue,
    double? RateRatio,
    double? RrCiLower,
    double? RrCiUpper,
    double? RrCiLower998,
    double? RrCiUpper998,
    Direction Direction,
    Signal Signal,
    SignalRule Rule,
    string? InhibitedReason)
{
    public bool Inhibited => InhibitedReason is not null;

    /// <summary>The figures rest on a suppressed count (1–7): value, intervals and ratio are not published.</summary>
    public bool Suppressed { get; init; }

    /// <summary>
    /// The row as it may be published (docs/disclosure.md): every rate, interval and ratio recomputed from the rounded
    /// counts, or removed when a count it rests on is suppressed. Counts stay raw here; they are formatted on output.
    /// </summary>
    public ReportComparison Published(int multiplier, Polarity polarity)
    {
        var rate = Disclosure.Rate(Numerator, Denominator, multiplier);
        var reference = Disclosure.Rate(ReferenceNumerator, ReferenceDenominator, multiplier);
        var ratio = Disclosure.Ratio(Numerator, Denominator, ReferenceNumerator, ReferenceDenominator);
        return this with
        {
            Value = rate.Value,
            CiLower = rate.Ci?.Lower,
            CiUpper = rate.Ci?.Upper,
            ReferenceValue = reference.Value,
            RateRatio = ratio.Value,
            RrCiLower = ratio.Ci95?.Lower,
            RrCiUpper = ratio.Ci95?.Upper,
            RrCiLower998 = ratio.Ci998?.Lower,
            RrCiUpper998 = ratio.Ci998?.Upper,
            Suppressed = rate.IsHidden || ratio.IsHidden,
            Detectable = Disclosure.Detectable(
                Detectable, Denominator, ReferenceNumerator, ReferenceDenominator, polarity == Polarity.HigherIsBetter),
        };
    }

    /// <summary>
    /// What the window could have alerted (docs/detection.md, "Silence is not equity"); null when not known (a row computed before it was
    /// stored).
    /// After <see cref="Published"/>: the published value (recomputed from rounded counts, or withheld).
    /// </summary>
    public DetectableRatio? Detectable { get; init; }

    public static ReportComparison From(GroupComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new ReportComparison(
            c.Level, c.OrganisationCode, c.IndicatorCode, c.Breakdown, c.GroupCode, c.ReferenceGroupCode, c.WindowMonths,
            c.Numerator, c.Denominator, c.Value, c.CiLower, c.CiUpper, c.ReferenceNumerator, c.ReferenceDenominator, c.ReferenceValue,
            c.RateRatio, c.RrCiLower, c.RrCiUpper, c.RrCiLower998, c.RrCiUpper998, c.Direction, c.Signal, c.Rule, c.InhibitedReason)
        {
            Detectable = c.Detectable,
            MonthsPresent = c.MonthsPresent,
        };
    }

    /// <summary>Months of the window with an accepted submission; fewer than <see cref="WindowMonths"/> is a partial window.</summary>
    public int? MonthsPresent { get; init; }
}

/// <summary>One row of <c>v_deprivation_gradient</c>: SII (indicator units) and RII with 95% limits, oriented so RII &gt; 1 means the most deprived fare worse.</summary>
public sealed record ReportGradient(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    int WindowMonths,
    double? Sii,
    double? SiiCiLower,
    double? SiiCiUpper,
    double? Rii,
    double? RiiCiLower,
    double? RiiCiUpper,
    Signal Signal,
    string? InhibitedReason)
{
    public static ReportGradient From(DeprivationGradient g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new ReportGradient(g.Level, g.OrganisationCode, g.IndicatorCode, g.WindowMonths, g.Sii, g.SiiCiLower, g.SiiCiUpper,
            g.Rii, g.RiiCiLower, g.RiiCiUpper, g.Signal, g.InhibitedReason)
        {
            MonthsPresent = g.MonthsPresent,
        };
    }

    /// <summary>Months of the window with an accepted submission; fewer than <see cref="WindowMonths"/> is a partial window.</summary>
    public int? MonthsPresent { get; init; }
}

/// <summary>
/// A signal firing at the period (ratio, SPC or gradient rule) with its monthly series when there is one.
/// <paramref name="GroupCode"/> is <c>gradient</c> for the deprivation gradient.
/// </summary>
/// <param name="Since">The first period of the current firing spell when the alert store knows it.</param>
public sealed record ReportAlert(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    ComparisonBreakdown Breakdown,
    string GroupCode,
    Signal Severity,
    SignalRule Rule,
    Period? Since,
    ReportTrend? Trend)
{
    /// <summary>
    /// The group's and the reference group's monthly counts up to the period (raw; the renderer publishes them), for the
    /// per-group rate charts (docs/report.md); null when there is no history.
    /// </summary>
    public IReadOnlyList<ReportMonth>? Monthly { get; init; }

    /// <summary>
    /// The alert fingerprint (docs/alerts.md §1): <c>level|organisation|indicator|breakdown|group|rule</c>. A CUSUM alert is
    /// stored under the group's ratio fingerprint (one alert per group comparison, whichever rule fired: AlertInputs).
    /// </summary>
    public string Fingerprint => string.Join(
        '|', Level.ToWire(), OrganisationCode, IndicatorCode, Breakdown.ToWire(), GroupCode, (Rule == SignalRule.Cusum ? SignalRule.Ratio : Rule).ToWire());
}

/// <summary>What a monthly series plots: ln(rate ratio) of a group vs the reference, or the group's value.</summary>
public enum TrendMeasure
{
    LogRateRatio,
    Value,
}

/// <summary>A monthly series with its XmR limits (null when the series is shorter than the baseline).</summary>
public sealed record ReportTrend(TrendMeasure Measure, IReadOnlyList<ReportTrendPoint> Points, XmrLimits? Limits);

/// <summary>One month of a trend and the special-cause rule it meets (None when it is common-cause or there are no limits).</summary>
public sealed record ReportTrendPoint(Period Period, double Value, SpecialCauseRule SpecialCause);

/// <summary>A data-quality finding: too many unknown ethnicities or unassignable IMD, so those signals are inhibited.</summary>
public sealed record ReportDataQuality(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    ComparisonBreakdown Breakdown,
    long UnknownDenominator,
    long TotalDenominator,
    double UnknownShare,
    double Threshold)
{
    public static ReportDataQuality From(DataQualityFinding f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new ReportDataQuality(f.Level, f.OrganisationCode, f.IndicatorCode, f.Breakdown, f.UnknownDenominator, f.TotalDenominator, f.UnknownShare, f.Threshold);
    }
}

/// <summary>Whether a trust's accepted submission for the period arrived by the deadline (the states of <c>v_submission_status</c>).</summary>
public enum SubmissionState
{
    OnTime,
    Late,
    Missing,
}

/// <summary>One trust's submission status for the period; <paramref name="ReceivedAt"/> is null when nothing was accepted.</summary>
public sealed record ReportSubmissionStatus(string TrustCode, string TrustName, SubmissionState State, DateTimeOffset? ReceivedAt);
