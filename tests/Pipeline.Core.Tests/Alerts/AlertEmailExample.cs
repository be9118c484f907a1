using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Digests;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Model;
using Pipeline.Core.Detection;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Alerts;

/// <summary>
/// A realistic month for Greater Manchester LMNS (QOP), produced by running the real state machine over four months:
/// in 2026-10 one alert is new (with small counts), one escalates, one resolves, one is due a reminder, a data-quality
/// alert opens, a trust has not submitted, and another trust's equity signals are withheld because its file was rejected.
/// Shared (as a linked file) with the App tests that send it through MailDev.
/// </summary>
internal static class AlertEmailExample
{
    public const string Contacts = """
        scope,code,name,email
        lmns,QOP,Greater Manchester LMNS lead,gm.lmns.lead@nhs.example
        lmns,QOP,Greater Manchester LMNS analyst,gm.lmns.analyst@nhs.example
        region,Y62,North West regional team,nw.maternity@nhs.example
        """;

    public static readonly AlertRoute Route = new(RoutingScope.Lmns, "QOP");

    private static readonly EvaluatedUnit Trust = new(Level.Organisation, "R0A", EvaluatedUnit.DetectionRules);
    private static readonly EvaluatedUnit Late = new(Level.Organisation, "RMC", new HashSet<AlertRule> { AlertRule.LateSubmission });

    public static ContactDirectory Directory() =>
        ContactDirectory.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Contacts)), "contacts.csv");

    /// <summary>The 2026-10 decision, with the given extra signals (e.g. hostile text) in the final month.</summary>
    public static AlertDecision October(params AlertSignal[] extra)
    {
        // An installation that emails watches too (Pipeline:Alerts:EmailFromSeverity = watch), so the one example email
        // shows every kind of notice, escalation included.
        var scenario = new AlertScenario { Policy = AlertPolicy.Default with { EmailFrom = AlertSeverity.Watch } };
        scenario.Run("2026-07", Ratio("neonatal_death", "Asian", "2026-07", 9, 2100, 14, 9800), Spc("2026-07"));
        scenario.Run("2026-08", Ratio("neonatal_death", "Asian", "2026-08", 9, 2100, 14, 9800), Spc("2026-08"));
        scenario.Run("2026-09", Smoking("2026-09", AlertSeverity.Watch), Spc("2026-09"));
        var rejected = AlertInputs.RejectedSubmission("RM3", Period.Parse("2026-10"), errorCount: 3);
        return scenario.Evaluate(new AlertEvaluation(
            Period.Parse("2026-10"),
            [Trust, Late, new EvaluatedUnit(Level.Organisation, "RM3", EvaluatedUnit.DetectionRules)],
            [
                Ratio("stillbirth", "Black", "2026-10", 6, 830, 41, 9870),
                Smoking("2026-10", AlertSeverity.Alert),
                Spc("2026-10"),
                DataQuality("2026-10"),
                LateSubmission("2026-10"),
                Ratio("stillbirth", "Asian", "2026-10", 11, 1500, 20, 8000) with
                {
                    Fingerprint = new AlertFingerprint(Level.Organisation, "RM3", "stillbirth", "ethnic_group", "Asian", AlertRule.Ratio),
                },
                .. extra,
            ],
            [rejected]));
    }

    /// <summary>
    /// QOP's digest for 2026-10, sent when the deadline passed with one of its trusts (RMC) missing: every notice of the
    /// month in one email.
    /// </summary>
    public static AlertEmailGroup OctoberGroup(params AlertSignal[] extra) =>
        Assert.Single(AlertGrouping.Group(October(extra), Directory()).Groups) with
        {
            Digest = new DigestFacts(
                new DigestMonth(Route, Period.Parse("2026-10"), ExpectedTrusts: 10, TrustsIn: 9, new DateTimeOffset(2026, 11, 15, 23, 59, 59, TimeSpan.Zero)),
                []),
        };

    public static AlertSignal Ratio(string indicator, string group, string period, long a, long n, long b, long m, AlertSeverity severity = AlertSeverity.Alert)
    {
        var multiplier = indicator is "stillbirth" or "neonatal_death" or "preterm_birth" ? 1000 : 100;
        double p = (double)a / n * multiplier, r = (double)b / m * multiplier;
        return new AlertSignal(
            new AlertFingerprint(Level.Organisation, "R0A", indicator, "ethnic_group", group, AlertRule.Ratio),
            Route,
            severity,
            new AlertEvidence
            {
                WindowMonths = 12,
                WindowEnd = Period.Parse(period),
                MonthsPresent = 12,
                Multiplier = multiplier,
                Numerator = a,
                Denominator = n,
                Value = Math.Round(p, 4),
                ValueCiLower = Math.Round(p * 0.55, 4),
                ValueCiUpper = Math.Round(p * 1.7, 4),
                ReferenceGroupCode = "White",
                ReferenceNumerator = b,
                ReferenceDenominator = m,
                ReferenceValue = Math.Round(r, 4),
                ReferenceCiLower = Math.Round(r * 0.75, 4),
                ReferenceCiUpper = Math.Round(r * 1.3, 4),
                Ratio = Math.Round(p / r, 4),
                RatioCiLower95 = Math.Round(p / r * 0.72, 4),
                RatioCiUpper95 = Math.Round(p / r * 1.38, 4),
                RatioCiLower998 = Math.Round(p / r * 0.62, 4),
                RatioCiUpper998 = Math.Round(p / r * 1.6, 4),
                Detectable = new DetectableRatio(MinimumDetectableRatio.Compute(
                    n, b, m, ReferenceData.Embedded.FindIndicator(indicator)?.Polarity == Polarity.HigherIsBetter,
                    Confidence.Alarm, 1.25, 5)),
                RuleText = severity == AlertSeverity.Alert
                    ? "ratio ≥ 1.25 and its 99.8% CI excludes 1; both groups have ≥ 5 events"
                    : "the 95% CI of the ratio excludes 1",
            });
    }

    private static AlertSignal Smoking(string period, AlertSeverity severity)
    {
        var signal = Ratio("smoking_at_booking", "1", period, 412, 2210, 95, 1630, severity);
        return signal with
        {
            Fingerprint = signal.Fingerprint with { Breakdown = "imd_quintile" },
            Evidence = signal.Evidence with { ReferenceGroupCode = "5" },
        };
    }

    private static AlertSignal Spc(string period)
    {
        var signal = Ratio("preterm_birth", "Mixed", period, 12, 700, 380, 31000, AlertSeverity.Watch);
        return signal with
        {
            Fingerprint = signal.Fingerprint with { Rule = AlertRule.Spc },
            Evidence = signal.Evidence with
            {
                WindowMonths = 1,
                MonthsPresent = 1,
                Detectable = null,
                RuleText = "7 monthly ratios in a row above the mean (Making Data Count rule 4)",
            },
        };
    }

    private static AlertSignal DataQuality(string period) => new(
        new AlertFingerprint(Level.Organisation, "R0A", "booking_by_10_weeks", "ethnic_group", "unknown", AlertRule.DataQuality),
        Route,
        AlertSeverity.Watch,
        new AlertEvidence
        {
            WindowMonths = 12,
            WindowEnd = Period.Parse(period),
            RuleText = "ethnicity not stated (Z) or not known (99) for 13.4% of the window's bookings (limit 10%): ethnicity comparisons for this indicator are withheld",
        });

    /// <summary>A data-quality finding for R0A's ethnicity recording on one indicator in 2026-10, with its counts.</summary>
    public static AlertSignal UnknownEthnicity(string indicator, long unknown, long total) => new(
        new AlertFingerprint(Level.Organisation, "R0A", indicator, "ethnic_group", "unknown", AlertRule.DataQuality),
        Route,
        AlertSeverity.Watch,
        new AlertEvidence
        {
            WindowMonths = 12,
            WindowEnd = Period.Parse("2026-10"),
            Numerator = unknown,
            Denominator = total,
            RuleText = "ethnicity not stated or not known (Z, 99) above the 10% threshold",
        });

    private static AlertSignal LateSubmission(string period) => new(
        new AlertFingerprint(Level.Organisation, "RMC", "all", "total", "all", AlertRule.LateSubmission),
        Route,
        AlertSeverity.Watch,
        new AlertEvidence
        {
            WindowMonths = 1,
            WindowEnd = Period.Parse(period),
            RuleText = "no accepted submission for 2026-10 by the deadline 2026-11-15",
        });
}
