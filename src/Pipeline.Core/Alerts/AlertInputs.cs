using System.Globalization;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.Core.Alerts;

/// <summary>
/// Builds the alert state machine's input from what detection and the submission calendar produce: the rows of
/// <c>v_group_comparison</c> / <c>v_deprivation_gradient</c>, data-quality findings, rejected submissions and missing
/// submissions. Routing is decided here: trust alerts go to the LMNS the trust belonged to in the period, LMNS alerts to
/// that LMNS, region alerts to the region. Text that reaches an email is written here with counts disclosure-controlled.
/// </summary>
public static class AlertInputs
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The evaluation of <paramref name="period"/>: every organisation in <paramref name="result"/> with windows ending then.</summary>
    public static AlertEvaluation FromDetection(
        DetectionResult result,
        Period period,
        ReferenceData reference,
        IEnumerable<Inhibition>? rejectedSubmissions = null) => FromDetection(result, period, reference, rejectedSubmissions, null);

    /// <param name="evaluated">
    /// The organisations with detection rows at <paramref name="period"/>, when <paramref name="result"/> holds only the rows
    /// that signal (a store reads just those, #18); null takes them from the rows themselves.
    /// </param>
    public static AlertEvaluation FromDetection(
        DetectionResult result,
        Period period,
        ReferenceData reference,
        IEnumerable<Inhibition>? rejectedSubmissions,
        IEnumerable<(Level Level, string OrganisationCode)>? evaluated)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(reference);
        var comparisons = result.Comparisons.Where(c => c.PeriodEnd == period).ToList();
        var gradients = result.Gradients.Where(g => g.PeriodEnd == period).ToList();
        var findings = result.DataQuality.Where(d => d.PeriodEnd == period).ToList();

        var units = (evaluated ?? comparisons.Select(c => (c.Level, c.OrganisationCode))
            .Concat(gradients.Select(g => (g.Level, g.OrganisationCode)))
            .Concat(findings.Select(d => (d.Level, d.OrganisationCode))))
            .Distinct()
            .Select(u => new EvaluatedUnit(u.Level, u.OrganisationCode, EvaluatedUnit.DetectionRules))
            .ToList();

        var signals = new List<AlertSignal>();
        signals.AddRange(comparisons.Where(c => Firing.RuleHolds(c.Signal)).Select(c => FromComparison(c, reference)));
        signals.AddRange(gradients.Where(g => Firing.RuleHolds(g.Signal)).Select(g => FromGradient(g, reference)));
        signals.AddRange(findings.Select(d => FromDataQuality(d, reference)));

        var rejected = (rejectedSubmissions ?? []).ToList();
        signals.AddRange(rejected.Where(r => r.Cause == InhibitionCause.SubmissionRejected).Select(r => FromRejection(r, period, reference)));

        var inhibitions = findings
            .Select(d => new Inhibition(d.Level, d.OrganisationCode, d.IndicatorCode, d.Breakdown.ToWire(), InhibitionCause.DataQualityGate, DataQualityText(d)))
            .Concat(rejected)
            .ToList();
        return new AlertEvaluation(period, units, signals, inhibitions);
    }

    /// <summary>
    /// The <c>data_quality</c> alert that says why a rejected trust-month's equity alerts are withheld:
    /// <c>organisation|{trust}|all|total|submission|data_quality</c>. It holds for every evaluated month of the trust whose
    /// submission was rejected with no accepted one; once that month has accepted data its evaluation no longer holds it, so a
    /// corrected file withdraws the alert (it never held) and the lead is told, as a late file withdraws <c>late_submission</c>.
    /// </summary>
    public static AlertFingerprint RejectedSubmissionFingerprint(string trustCode) =>
        new(Level.Organisation, trustCode, "all", "total", "submission", AlertRule.DataQuality);

    private static AlertSignal FromRejection(Inhibition rejected, Period period, ReferenceData reference) => Routed(
        RejectedSubmissionFingerprint(rejected.OrganisationCode),
        AlertSeverity.Watch,
        new AlertEvidence
        {
            WindowMonths = 1,
            WindowEnd = period,
            RuleText = AlertRuleText.RejectedMonth(rejected.Reason, period),
        },
        reference);

    /// <summary>Inhibits every equity alert of a trust whose submission for the period was rejected (no accepted data).</summary>
    public static Inhibition RejectedSubmission(string trustCode, Period period, int errorCount) =>
        new(Level.Organisation, trustCode, null, null, InhibitionCause.SubmissionRejected,
            AlertRuleText.RejectedSubmission(period, errorCount));

    /// <summary>
    /// The late/missing check after the deadline: every trust expected to submit for <paramref name="period"/> is evaluated
    /// for the <c>late_submission</c> rule, and those without an accepted submission hold. A trust that submits later is
    /// re-checked for the same period, which withdraws its alert and tells the LMNS lead.
    /// </summary>
    /// <param name="regions">The regions whose trusts are expected (the deployment's); empty: every region.</param>
    public static AlertEvaluation LateSubmissions(
        ReferenceData reference, Period period, IReadOnlySet<string> trustsWithAcceptedSubmission, DateOnly deadline,
        IReadOnlyCollection<string>? regions = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(trustsWithAcceptedSubmission);
        var rule = new HashSet<AlertRule> { AlertRule.LateSubmission };
        var expected = reference.TrustsActiveIn(period)
            .Where(t => regions is not { Count: > 0 } || (reference.RegionOf(t.Code, period) is { } region && regions.Contains(region)))
            .Select(t => t.Code).Order(StringComparer.Ordinal).ToList();
        var signals = expected
            .Where(code => !trustsWithAcceptedSubmission.Contains(code))
            .Select(code => new AlertSignal(
                new AlertFingerprint(Level.Organisation, code, "all", "total", "all", AlertRule.LateSubmission),
                RouteFor(Level.Organisation, code, period, reference),
                AlertSeverity.Watch,
                new AlertEvidence
                {
                    WindowMonths = 1,
                    WindowEnd = period,
                    RuleText = AlertRuleText.LateSubmission(period, deadline),
                }))
            .ToList();
        return new AlertEvaluation(period, [.. expected.Select(code => new EvaluatedUnit(Level.Organisation, code, rule))], signals, []);
    }

    public static AlertRoute RouteFor(Level level, string organisationCode, Period period, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return level switch
        {
            Level.Organisation => reference.LmnsOf(organisationCode, period) is { } lmns
                ? new AlertRoute(RoutingScope.Lmns, lmns)
                : new AlertRoute(RoutingScope.Lmns, "unknown"), // no membership in force: the default contacts receive it
            Level.Lmns => new AlertRoute(RoutingScope.Lmns, organisationCode),
            _ => new AlertRoute(RoutingScope.Region, organisationCode),
        };
    }

    private static AlertSignal FromComparison(GroupComparison c, ReferenceData reference)
    {
        var rule = c.Rule == SignalRule.Spc ? AlertRule.Spc : AlertRule.Ratio;
        var severity = c.Signal == Signal.Alert ? AlertSeverity.Alert : AlertSeverity.Watch;
        // A CUSUM alert is about the same group comparison as a ratio alert, so it shares its fingerprint (one alert per group).
        var text = c.Rule == SignalRule.Cusum && c.Cusum is { } statistic && c.CusumThreshold is { } threshold
            ? AlertRuleText.Cusum(statistic, threshold, c.WindowMonths)
            : AlertRuleText.Comparison(rule == AlertRule.Spc, severity == AlertSeverity.Alert, c.Direction, c.Spc, c.HaldaneCorrected);

        return Routed(
            new AlertFingerprint(c.Level, c.OrganisationCode, c.IndicatorCode, c.Breakdown.ToWire(), c.GroupCode, rule),
            severity,
            Window(c.IndicatorCode, c.WindowMonths, c.PeriodEnd, c.MonthsPresent, text, reference) with
            {
                Numerator = c.Numerator,
                Denominator = c.Denominator,
                Value = c.Value,
                ValueCiLower = c.CiLower,
                ValueCiUpper = c.CiUpper,
                ReferenceGroupCode = c.ReferenceGroupCode,
                ReferenceNumerator = c.ReferenceNumerator,
                ReferenceDenominator = c.ReferenceDenominator,
                ReferenceValue = c.ReferenceValue,
                Ratio = c.RateRatio,
                RatioCiLower95 = c.RrCiLower,
                RatioCiUpper95 = c.RrCiUpper,
                RatioCiLower998 = c.RrCiLower998,
                RatioCiUpper998 = c.RrCiUpper998,
                Detectable = c.Detectable,
            },
            reference);
    }

    private static AlertSignal FromGradient(DeprivationGradient g, ReferenceData reference)
    {
        var severity = g.Signal == Signal.Alert ? AlertSeverity.Alert : AlertSeverity.Watch;
        var neutral = reference.FindIndicator(g.IndicatorCode)?.Polarity == Polarity.Neutral;
        var text = AlertRuleText.Gradient(severity == AlertSeverity.Alert, neutral, g.Sii, g.SiiCiLower, g.SiiCiUpper);
        return Routed(
            new AlertFingerprint(g.Level, g.OrganisationCode, g.IndicatorCode, ComparisonBreakdown.ImdQuintile.ToWire(), DeprivationGradient.GroupCode, AlertRule.Gradient),
            severity,
            Window(g.IndicatorCode, g.WindowMonths, g.PeriodEnd, g.MonthsPresent, text, reference) with
            {
                Ratio = g.Rii,
                RatioCiLower95 = g.RiiCiLower,
                RatioCiUpper95 = g.RiiCiUpper,
                RatioCiLower998 = g.RiiCiLower998,
                RatioCiUpper998 = g.RiiCiUpper998,
            },
            reference);
    }

    private static AlertSignal FromDataQuality(DataQualityFinding d, ReferenceData reference) => Routed(
        new AlertFingerprint(d.Level, d.OrganisationCode, d.IndicatorCode, d.Breakdown.ToWire(), "unknown", AlertRule.DataQuality),
        AlertSeverity.Watch,
        Window(d.IndicatorCode, d.WindowMonths, d.PeriodEnd, null, DataQualityText(d), reference) with
        {
            Numerator = d.UnknownDenominator,
            Denominator = d.TotalDenominator,
        },
        reference);

    private static AlertSignal Routed(AlertFingerprint fingerprint, AlertSeverity severity, AlertEvidence evidence, ReferenceData reference) =>
        new(fingerprint, RouteFor(fingerprint.Level, fingerprint.OrganisationCode, evidence.WindowEnd, reference), severity, evidence);

    private static AlertEvidence Window(string indicatorCode, int months, Period end, int? present, string ruleText, ReferenceData reference) => new()
    {
        WindowMonths = months,
        WindowEnd = end,
        MonthsPresent = present,
        Multiplier = reference.FindIndicator(indicatorCode)?.Multiplier ?? 100,
        RuleText = ruleText,
    };

    private static string DataQualityText(DataQualityFinding d) =>
        Publishing.DataQualityText.Sentence(d.Breakdown, d.UnknownDenominator, d.TotalDenominator, d.WindowMonths, d.Threshold).TrimEnd('.');
}
