namespace Pipeline.Core.Detection.Evaluation;

/// <summary>Share of planted divergences of one kind detected as an alert within the early and full horizons.</summary>
/// <param name="Breakdown">Null for all planted groups together; otherwise only those planted on that breakdown.</param>
/// <param name="PersistentEarly">Sensitivity: detected by an alert that also held the month before (two consecutive months).</param>
public sealed record DetectionRate(
    string IndicatorCode,
    Level Level,
    double Ratio,
    ComparisonBreakdown? Breakdown,
    int Planted,
    int DetectedEarly,
    int DetectedMid,
    int DetectedWithinFollowUp,
    int PersistentEarly,
    int PersistentWithinFollowUp)
{
    public double EarlyShare => Planted == 0 ? double.NaN : (double)DetectedEarly / Planted;

    public double MidShare => Planted == 0 ? double.NaN : (double)DetectedMid / Planted;

    public double FollowUpShare => Planted == 0 ? double.NaN : (double)DetectedWithinFollowUp / Planted;
}

/// <summary>New alerts on null data per LMNS-year and per trust-year if the CUSUM threshold were <paramref name="Threshold"/>.</summary>
public sealed record CusumSweepPoint(double Threshold, double LmnsPerYear, double TrustPerYear, double LmnsCusumOnlyPerYear);

/// <summary>
/// Alerts on data with nothing planted. "Alert-months" counts every (series, group, month) whose signal is alert; "new
/// alerts" counts alerts as the alert lifecycle opens them (one quiet month does not close an alert), i.e. what a lead
/// would be told is new.
/// </summary>
/// <param name="LmnsYears">LMNS × evaluated years.</param>
/// <param name="TrustYears">Trusts × evaluated years.</param>
/// <param name="LmnsLevel">Alerts on LMNS-level comparisons and gradients: the alerts about an LMNS.</param>
/// <param name="TrustLevel">Alerts on trust-level comparisons and gradients: the alerts about a trust.</param>
/// <param name="Region">Region-level alerts (routed to regions, not LMNS).</param>
public sealed record FalseAlertRate(double LmnsYears, double TrustYears, AlertCounts LmnsLevel, AlertCounts TrustLevel, AlertCounts Region)
{
    /// <summary>The same null data counted at each CUSUM threshold of the sweep (the calibration of h).</summary>
    public IReadOnlyList<CusumSweepPoint> CusumSweep { get; init; } = [];

    /// <summary>The smallest swept threshold whose LMNS-level rate meets the calibration target (null: none did).</summary>
    public double? CalibratedThreshold { get; init; }

    /// <summary>Everything an LMNS lead receives: alerts about the LMNS and about its trusts.</summary>
    public AlertCounts Routed => LmnsLevel.Add(TrustLevel);

    public double PerLmnsYear(int count) => count / LmnsYears;

    public double PerTrustYear(int count) => count / TrustYears;
}

/// <param name="RatioAlertMonths">Group-comparison alerts (ratio rule), counted each month they hold.</param>
/// <param name="GradientAlertMonths">Deprivation-gradient alerts, counted each month they hold.</param>
/// <param name="NewRatioAlerts">Ratio alerts that were not alerting the month before.</param>
/// <param name="NewGradientAlerts">Gradient alerts that were not alerting the month before.</param>
/// <param name="ComparisonMonths">Group comparisons evaluated that could signal (full enough window, not inhibited): the denominator of the per-test rate.</param>
/// <param name="GradientMonths">Gradients evaluated that could signal.</param>
/// <param name="PersistentAlerts">Sensitivity: alert episodes (ratio or gradient) that lasted at least two consecutive months.</param>
public sealed record AlertCounts(int RatioAlertMonths, int GradientAlertMonths, int NewRatioAlerts, int NewGradientAlerts, long ComparisonMonths, long GradientMonths, int PersistentAlerts)
{
    public static AlertCounts Zero { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Share of evaluable comparisons that alert: the rule's false-positive rate per test on null data.</summary>
    public double RatioAlertRate => ComparisonMonths == 0 ? 0 : (double)RatioAlertMonths / ComparisonMonths;

    public double GradientAlertRate => GradientMonths == 0 ? 0 : (double)GradientAlertMonths / GradientMonths;

    public int AlertMonths => RatioAlertMonths + GradientAlertMonths;

    public int NewAlerts => NewRatioAlerts + NewGradientAlerts;

    public AlertCounts Add(AlertCounts other) => new(
        RatioAlertMonths + other.RatioAlertMonths,
        GradientAlertMonths + other.GradientAlertMonths,
        NewRatioAlerts + other.NewRatioAlerts,
        NewGradientAlerts + other.NewGradientAlerts,
        ComparisonMonths + other.ComparisonMonths,
        GradientMonths + other.GradientMonths,
        PersistentAlerts + other.PersistentAlerts);
}

/// <summary>
/// The most powerful test's mean detection probability for plants of one kind within <paramref name="Months"/> months,
/// at false-alert probability <paramref name="Alpha"/> per group over those months; <paramref name="ShareAtLeastHalf"/>:
/// the share of plantable groups where even that test detects at least half the time.
/// </summary>
public sealed record DetectionBoundRate(
    string IndicatorCode, Level Level, double Ratio, int Months, double Alpha, double MeanPower, double ShareAtLeastHalf);
