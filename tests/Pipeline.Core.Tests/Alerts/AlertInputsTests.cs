using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics.Spc;
using Pipeline.Core.Tests.Alerts.Rendering;

namespace Pipeline.Core.Tests.Alerts;

public class AlertInputsTests
{
    private static readonly Period October = Period.Parse("2026-10");
    private static readonly ReferenceData Reference = ReferenceData.Embedded;

    private static GroupComparison Comparison(
        Level level = Level.Organisation, string organisation = "R0A", Signal signal = Signal.Alert, SignalRule rule = SignalRule.Ratio, Period? period = null) =>
        new(level, organisation, "stillbirth", ComparisonBreakdown.EthnicGroup, "Black", "White", 12, period ?? October, 12,
            19, 2410, 7.88, 5.05, 12.3, 41, 9870, 4.15, 1.9, 1.1, 3.27, 1.01, 4.1, 3.73, false, Direction.Worse,
            signal, signal == Signal.None ? SignalRule.None : rule, rule == SignalRule.Spc ? SpecialCauseRule.Shift : SpecialCauseRule.None,
            rule == SignalRule.Spc, null);

    private static DetectionResult Result(params GroupComparison[] comparisons) => new(comparisons, [], []);

    [Fact]
    public void A_trust_comparison_with_a_signal_becomes_a_ratio_alert_routed_to_the_lmns_of_the_trust_then()
    {
        var evaluation = AlertInputs.FromDetection(Result(Comparison()), October, Reference);

        var signal = Assert.Single(evaluation.Signals);
        Assert.Equal("organisation|R0A|stillbirth|ethnic_group|Black|ratio", signal.Fingerprint.ToString());
        Assert.Equal(new AlertRoute(RoutingScope.Lmns, "QOP"), signal.Route);
        Assert.Equal(AlertSeverity.Alert, signal.Severity);
        Assert.Equal((19L, 2410L, 41L, 9870L, 1.9, 1.01, 4.1, 1000),
            (signal.Evidence.Numerator!.Value, signal.Evidence.Denominator!.Value, signal.Evidence.ReferenceNumerator!.Value,
             signal.Evidence.ReferenceDenominator!.Value, signal.Evidence.Ratio!.Value, signal.Evidence.RatioCiLower998!.Value,
             signal.Evidence.RatioCiUpper998!.Value, signal.Evidence.Multiplier));
        Assert.Equal(new EvaluatedUnit(Level.Organisation, "R0A", EvaluatedUnit.DetectionRules).Covers(signal.Fingerprint),
            Assert.Single(evaluation.Evaluated).Covers(signal.Fingerprint));
    }

    [Fact]
    public void Comparisons_without_a_signal_still_mark_their_organisation_as_evaluated()
    {
        var evaluation = AlertInputs.FromDetection(Result(Comparison(signal: Signal.None)), October, Reference);

        Assert.Empty(evaluation.Signals);
        Assert.Equal("R0A", Assert.Single(evaluation.Evaluated).OrganisationCode);
    }

    [Fact]
    public void Spc_concerns_become_spc_alerts_and_lmns_and_region_rows_route_to_themselves()
    {
        var evaluation = AlertInputs.FromDetection(
            Result(Comparison(Level.Lmns, "QOP", Signal.Watch, SignalRule.Spc), Comparison(Level.Region, "Y62")), October, Reference);

        Assert.Equal(
            ["lmns|QOP|stillbirth|ethnic_group|Black|spc → lmns:QOP", "region|Y62|stillbirth|ethnic_group|Black|ratio → region:Y62"],
            evaluation.Signals.Select(s => $"{s.Fingerprint} → {s.Route}"));
        Assert.Contains("7 points in a row on one side of the mean", evaluation.Signals[0].Evidence.RuleText, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_windows_ending_at_the_evaluated_period_are_used()
    {
        var evaluation = AlertInputs.FromDetection(Result(Comparison(period: October.AddMonths(-1))), October, Reference);

        Assert.Empty(evaluation.Signals);
        Assert.Empty(evaluation.Evaluated);
    }

    [Fact]
    public void A_data_quality_finding_raises_a_data_quality_alert_and_inhibits_that_indicator_and_breakdown_with_rounded_counts()
    {
        var finding = new DataQualityFinding(Level.Organisation, "R0A", "booking_by_10_weeks", ComparisonBreakdown.EthnicGroup, 12, October,
            UnknownDenominator: 437, TotalDenominator: 3262, UnknownShare: 437.0 / 3262, Threshold: 0.10, Message: "raw: 437 of 3262");

        var evaluation = AlertInputs.FromDetection(new DetectionResult([], [], [finding]), October, Reference);

        var signal = Assert.Single(evaluation.Signals);
        Assert.Equal("organisation|R0A|booking_by_10_weeks|ethnic_group|unknown|data_quality", signal.Fingerprint.ToString());
        var inhibition = Assert.Single(evaluation.Inhibitions);
        Assert.True(inhibition.Inhibits(new AlertFingerprint(Level.Organisation, "R0A", "booking_by_10_weeks", "ethnic_group", "Black", AlertRule.Ratio)));
        Assert.False(inhibition.Inhibits(new AlertFingerprint(Level.Organisation, "R0A", "stillbirth", "ethnic_group", "Black", AlertRule.Ratio)));
        Assert.False(inhibition.Inhibits(new AlertFingerprint(Level.Organisation, "R0A", "booking_by_10_weeks", "imd_quintile", "1", AlertRule.Ratio)));
        Assert.Contains("counts: 435 of 3,260", inhibition.Reason, StringComparison.Ordinal);
        Assert.Empty(DisclosureScan.Violations(signal.Evidence.RuleText));
        Assert.DoesNotContain("3262", signal.Evidence.RuleText, StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_deadline_each_trust_without_an_accepted_file_holds_the_late_submission_rule()
    {
        var submitted = Reference.TrustsInLmns("QOP", October).Where(t => t != "RMC").ToHashSet();
        var everyoneElse = Reference.TrustsActiveIn(October).Select(t => t.Code).Where(c => Reference.LmnsOf(c, October) != "QOP");

        var evaluation = AlertInputs.LateSubmissions(Reference, October, submitted.Concat(everyoneElse).ToHashSet(), new DateOnly(2026, 11, 15));

        var late = Assert.Single(evaluation.Signals);
        Assert.Equal(("organisation|RMC|all|total|all|late_submission", "lmns:QOP"), (late.Fingerprint.ToString(), late.Route.ToString()));
        Assert.Equal("no accepted submission for 2026-10 by the deadline 2026-11-15", late.Evidence.RuleText);
        Assert.Equal(Reference.TrustsActiveIn(October).Count(), evaluation.Evaluated.Count);
    }

    [Fact]
    public void A_trust_that_submits_after_the_deadline_has_its_late_alert_withdrawn_and_the_lead_told()
    {
        var scenario = new AlertScenario();
        var all = Reference.TrustsActiveIn(October).Select(t => t.Code).ToHashSet();
        var deadline = new DateOnly(2026, 11, 15);
        scenario.Evaluate(AlertInputs.LateSubmissions(Reference, October, all.Where(c => c != "RMC").ToHashSet(), deadline));

        var submitted = scenario.Evaluate(AlertInputs.LateSubmissions(Reference, October, all, deadline));

        Assert.Equal(AlertEventKind.Withdrawn, Assert.Single(submitted.Events).Kind);
        Assert.Equal(NoticeKind.Resolved, Assert.Single(submitted.Notices).Kind);
    }

    [Fact]
    public void A_rejected_submission_inhibits_every_equity_alert_of_the_trust_but_not_its_data_quality_alerts()
    {
        var rejected = AlertInputs.RejectedSubmission("R0A", October, 3);

        Assert.True(rejected.Inhibits(AlertScenario.BlackStillbirths));
        Assert.True(rejected.Inhibits(AlertScenario.BlackStillbirths with { Rule = AlertRule.Gradient, IndicatorCode = "caesarean" }));
        Assert.False(rejected.Inhibits(AlertScenario.BlackStillbirths with { Rule = AlertRule.DataQuality }));
        Assert.False(rejected.Inhibits(AlertScenario.BlackStillbirths with { Level = Level.Lmns }));
    }
    [Fact]
    public void A_rejected_month_adds_the_trusts_submission_data_quality_signal_saying_why_and_inhibits_its_equity_signals()
    {
        var evaluation = AlertInputs.FromDetection(Result(), October, Reference, [AlertInputs.RejectedSubmission("R0A", October, 3)]);

        var signal = Assert.Single(evaluation.Signals);
        Assert.Equal("organisation|R0A|all|total|submission|data_quality", signal.Fingerprint.ToString());
        Assert.Equal((AlertSeverity.Watch, new AlertRoute(RoutingScope.Lmns, "QOP")), (signal.Severity, signal.Route));
        Assert.Equal(
            "the 2026-10 submission was rejected (3 error(s)); there is no accepted data for this month; its equity alerts for 2026-10 are withheld until an accepted submission arrives",
            signal.Evidence.RuleText);
        Assert.Empty(evaluation.Evaluated);
        Assert.True(Assert.Single(evaluation.Inhibitions).Inhibits(AlertScenario.BlackStillbirths));
    }

    [Fact]
    public void A_rejected_month_is_not_a_quiet_month_for_the_trusts_other_data_quality_alerts()
    {
        var scenario = new AlertScenario();
        var coding = AlertScenario.BlackStillbirths with { GroupCode = "unknown", Rule = AlertRule.DataQuality };
        scenario.Run("2026-09", AlertScenario.Signal("2026-09", AlertSeverity.Watch, coding));

        scenario.Evaluate(AlertInputs.FromDetection(Result(), October, Reference, [AlertInputs.RejectedSubmission("R0A", October, 3)]));

        Assert.Equal([Period.Parse("2026-09")], scenario.State(coding).Observations.Select(o => o.Period));
        Assert.Equal(AlertStatus.Firing, scenario.State(AlertInputs.RejectedSubmissionFingerprint("R0A")).Status);
    }
}
