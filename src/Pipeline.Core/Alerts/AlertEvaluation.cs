using Pipeline.Core.Model;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Alerts;

/// <summary>
/// Which rules were evaluated for one organisation at one level for the period. Alerts of that unit that have no signal
/// in the run are "evaluated and did not hold"; alerts of units not listed are left alone (another trust's run, say).
/// </summary>
public sealed record EvaluatedUnit(Level Level, string OrganisationCode, IReadOnlySet<AlertRule> Rules)
{
    public static readonly IReadOnlySet<AlertRule> DetectionRules =
        new HashSet<AlertRule> { AlertRule.Ratio, AlertRule.Gradient, AlertRule.Spc, AlertRule.DataQuality };

    public bool Covers(AlertFingerprint fingerprint) =>
        fingerprint.Level == Level &&
        string.Equals(fingerprint.OrganisationCode, OrganisationCode, StringComparison.Ordinal) &&
        Rules.Contains(fingerprint.Rule);
}

public enum InhibitionCause
{
    /// <summary>The organisation-period has no accepted submission because its file was rejected.</summary>
    SubmissionRejected,

    /// <summary>Equity fields are too incomplete (docs/statistics.md §6: unknown ethnicity or IMD above 10%).</summary>
    DataQualityGate,
}

/// <summary>
/// Equity alerts (ratio, gradient, SPC) for this organisation and period are not evaluable: their signals are withheld and
/// the period does not count for or against existing alerts. A null <see cref="IndicatorCode"/> or <see cref="Breakdown"/>
/// covers every indicator or breakdown (a rejected submission); the data-quality gate names both.
/// </summary>
public sealed record Inhibition(
    Level Level,
    string OrganisationCode,
    string? IndicatorCode,
    string? Breakdown,
    InhibitionCause Cause,
    string Reason)
{
    public bool Inhibits(AlertFingerprint fingerprint) =>
        fingerprint.Rule.IsEquityRule() &&
        fingerprint.Level == Level &&
        string.Equals(fingerprint.OrganisationCode, OrganisationCode, StringComparison.Ordinal) &&
        (IndicatorCode is null || string.Equals(fingerprint.IndicatorCode, IndicatorCode, StringComparison.Ordinal)) &&
        (Breakdown is null || string.Equals(fingerprint.Breakdown, Breakdown, StringComparison.Ordinal));
}

/// <summary>Everything detection produced for one evaluated period (the input of <see cref="AlertEngine.Evaluate"/>).</summary>
public sealed record AlertEvaluation(
    Period Period,
    IReadOnlyList<EvaluatedUnit> Evaluated,
    IReadOnlyList<AlertSignal> Signals,
    IReadOnlyList<Inhibition> Inhibitions);

/// <summary>The lifecycle settings (docs/alerts.md §2). Defaults: resolve after 2 quiet evaluated periods, remind after 3 months.</summary>
public sealed record AlertPolicy
{
    public static readonly AlertPolicy Default = new();

    /// <summary>
    /// The <c>late_submission</c> rule's policy: monthly, so one month with the file in resolves it and a trust still missing
    /// next month is listed again (docs/alerts.md §6).
    /// </summary>
    public static readonly AlertPolicy LateSubmissions = new() { ResolveAfter = 1, RepeatIntervalMonths = 1 };

    /// <summary>The policy an alert follows: <see cref="LateSubmissions"/> for late submissions, otherwise this one.</summary>
    public AlertPolicy For(AlertFingerprint fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        return fingerprint.Rule == AlertRule.LateSubmission ? LateSubmissions : this;
    }

    /// <summary>Consecutive evaluated periods without the rule holding before a firing alert resolves. Default 2.</summary>
    public int ResolveAfter { get; init; } = 2;

    /// <summary>Reporting periods after the last email about a still-firing, unchanged alert before one reminder. Default 3.</summary>
    public int RepeatIntervalMonths { get; init; } = 3;

    /// <summary>
    /// The lowest severity of an equity alert (ratio, gradient, SPC) that is emailed. Default <see cref="AlertSeverity.Alert"/>:
    /// watches are kept with their events (<c>pipeline alerts</c>, the report) but leads hear of one only when it escalates
    /// to an alert; then "new", since they were never told of the watch. In the demo, emailing watches too meant 489 emails
    /// in 24 months to 7 recipient groups. Data-quality and late-submission notices are always emailed.
    /// </summary>
    public AlertSeverity EmailFrom { get; init; } = AlertSeverity.Alert;

    /// <summary>Whether an alert at this severity is emailed at all (see <see cref="EmailFrom"/>).</summary>
    public bool Emails(AlertFingerprint fingerprint, AlertSeverity severity) =>
        !fingerprint.Rule.IsEquityRule() || severity >= EmailFrom;
}
