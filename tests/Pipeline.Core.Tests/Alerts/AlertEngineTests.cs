using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using static Pipeline.Core.Tests.Alerts.AlertScenario;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Tests.Alerts;

public class AlertEngineTests
{
    [Fact]
    public void A_first_signal_fires_the_alert_with_one_event_and_one_new_notice()
    {
        var scenario = new AlertScenario();

        var decision = scenario.Run("2026-10", Signal("2026-10"));

        var state = Assert.Single(decision.Upserts);
        Assert.Equal(AlertStatus.Firing, state.Status);
        Assert.Equal(Period.Parse("2026-10"), state.FiringSince);
        var change = Assert.Single(decision.Events);
        Assert.Equal((AlertEventKind.Fired, (AlertStatus?)null, AlertStatus.Firing), (change.Kind, change.OldStatus, change.NewStatus));
        Assert.Equal(1.9, change.Evidence.Ratio);
        Assert.Equal(NoticeKind.New, Assert.Single(decision.Notices).Kind);
    }

    [Fact]
    public void Re_evaluating_the_same_inputs_creates_no_events_no_notices_and_no_writes()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-10", Signal("2026-10"));

        var again = scenario.Run("2026-10", Signal("2026-10"));

        Assert.True(again.IsEmpty);
        Assert.Single(scenario.Events);
        Assert.Single(scenario.Notices);
    }

    [Fact]
    public void One_quiet_period_does_not_resolve_and_a_second_consecutive_one_does()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-08", Signal("2026-08"));

        var oneQuiet = scenario.Run("2026-09");
        Assert.Empty(oneQuiet.Events);
        Assert.Empty(oneQuiet.Notices);
        Assert.Equal(AlertStatus.Firing, scenario.State(BlackStillbirths).Status);

        var twoQuiet = scenario.Run("2026-10");
        Assert.Equal(AlertEventKind.Resolved, Assert.Single(twoQuiet.Events).Kind);
        Assert.Equal(NoticeKind.Resolved, Assert.Single(twoQuiet.Notices).Kind);
        Assert.Equal(Period.Parse("2026-10"), scenario.State(BlackStillbirths).ResolvedAt);
    }

    [Fact]
    public void A_signal_between_quiet_periods_keeps_the_alert_firing_without_any_email()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-06", Signal("2026-06"));
        scenario.Run("2026-07");
        scenario.Run("2026-08", Signal("2026-08"));

        Assert.Equal(AlertStatus.Firing, scenario.State(BlackStillbirths).Status);
        Assert.Equal(Period.Parse("2026-06"), scenario.State(BlackStillbirths).FiringSince);
        Assert.Single(scenario.Events);
        Assert.Single(scenario.Notices);
    }

    [Fact]
    public void Months_that_were_not_evaluated_do_not_count_towards_resolving()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-06", Signal("2026-06"));
        scenario.Run("2026-07");
        // 2026-08 had no accepted submission: nothing evaluated. 2026-09 is only the second quiet evaluated period.
        Assert.Equal(AlertStatus.Firing, scenario.State(BlackStillbirths).Status);

        scenario.Run("2026-09");

        Assert.Equal(AlertStatus.Resolved, scenario.State(BlackStillbirths).Status);
    }

    [Fact]
    public void A_change_of_severity_is_an_event_and_an_escalation_or_de_escalation_notice_when_watches_are_emailed()
    {
        var scenario = new AlertScenario { Policy = AlertPolicy.Default with { EmailFrom = AlertSeverity.Watch } };
        scenario.Run("2026-08", Signal("2026-08", AlertSeverity.Watch));

        var up = scenario.Run("2026-09", Signal("2026-09", AlertSeverity.Alert));
        var down = scenario.Run("2026-10", Signal("2026-10", AlertSeverity.Watch));

        var escalation = Assert.Single(up.Events);
        Assert.Equal((AlertEventKind.Escalated, AlertSeverity.Watch, AlertSeverity.Alert),
            (escalation.Kind, escalation.OldSeverity!.Value, escalation.NewSeverity));
        Assert.Equal(NoticeKind.Escalated, Assert.Single(up.Notices).Kind);
        Assert.Equal(AlertEventKind.Deescalated, Assert.Single(down.Events).Kind);
        Assert.Equal(NoticeKind.Deescalated, Assert.Single(down.Notices).Kind);
    }

    [Fact]
    public void By_default_a_watch_is_recorded_but_not_emailed_and_its_escalation_is_the_leads_first_notice()
    {
        var scenario = new AlertScenario();

        var watch = scenario.Run("2026-08", Signal("2026-08", AlertSeverity.Watch));
        var stillWatch = scenario.Run("2026-09", Signal("2026-09", AlertSeverity.Watch));
        var up = scenario.Run("2026-10", Signal("2026-10", AlertSeverity.Alert));

        Assert.Equal(AlertEventKind.Fired, Assert.Single(watch.Events).Kind);
        Assert.Equal(AlertStatus.Firing, Assert.Single(watch.Upserts).Status);
        Assert.Empty(watch.Notices);
        Assert.Empty(stillWatch.Notices);
        Assert.Equal(AlertEventKind.Escalated, Assert.Single(up.Events).Kind);
        var notice = Assert.Single(up.Notices);
        Assert.Equal((NoticeKind.New, AlertSeverity.Alert), (notice.Kind, notice.Alert.Severity));
    }

    [Fact]
    public void By_default_an_alert_easing_to_a_watch_and_back_sends_nothing_until_it_resolves()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-05", Signal("2026-05", AlertSeverity.Alert));

        var down = scenario.Run("2026-06", Signal("2026-06", AlertSeverity.Watch));
        var back = scenario.Run("2026-07", Signal("2026-07", AlertSeverity.Alert));
        var quietWatchMonths = new[] { "2026-08", "2026-09", "2026-10", "2026-11" }.Select(p => scenario.Run(p, Signal(p, AlertSeverity.Watch))).ToList();
        scenario.Run("2026-12");
        var resolved = scenario.Run("2027-01");

        Assert.Equal(AlertEventKind.Deescalated, Assert.Single(down.Events).Kind);
        Assert.Empty(down.Notices);
        Assert.Equal(AlertEventKind.Escalated, Assert.Single(back.Events).Kind);
        Assert.Empty(back.Notices);
        Assert.All(quietWatchMonths, d => Assert.Empty(d.Notices));
        Assert.Equal(NoticeKind.Resolved, Assert.Single(resolved.Notices).Kind);
    }

    [Fact]
    public void A_watch_that_resolves_without_ever_being_emailed_sends_nothing()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-08", Signal("2026-08", AlertSeverity.Watch));
        scenario.Run("2026-09");

        var resolved = scenario.Run("2026-10");

        Assert.Equal(AlertEventKind.Resolved, Assert.Single(resolved.Events).Kind);
        Assert.Empty(resolved.Notices);
    }

    [Fact]
    public void Data_quality_notices_are_emailed_at_watch_severity_whatever_the_equity_threshold()
    {
        var policy = AlertPolicy.Default;
        var dataQuality = new AlertFingerprint(Level.Organisation, "R0A", "stillbirth", "ethnic_group", "unknown", AlertRule.DataQuality);
        var late = new AlertFingerprint(Level.Organisation, "R0A", "all", "total", "all", AlertRule.LateSubmission);

        Assert.True(policy.Emails(dataQuality, AlertSeverity.Watch));
        Assert.True(policy.Emails(late, AlertSeverity.Watch));
        Assert.False(policy.Emails(BlackStillbirths, AlertSeverity.Watch));
        Assert.True(policy.Emails(BlackStillbirths, AlertSeverity.Alert));
        Assert.True((policy with { EmailFrom = AlertSeverity.Watch }).Emails(BlackStillbirths, AlertSeverity.Watch));
    }

    [Fact]
    public void An_unchanged_firing_alert_is_silent_until_the_repeat_interval_then_gets_one_reminder()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-01", Signal("2026-01"));

        Assert.Empty(scenario.Run("2026-02", Signal("2026-02")).Notices);
        Assert.Empty(scenario.Run("2026-03", Signal("2026-03")).Notices);
        var reminder = scenario.Run("2026-04", Signal("2026-04"));
        var rerun = scenario.Run("2026-04", Signal("2026-04"));
        var after = scenario.Run("2026-05", Signal("2026-05"));

        Assert.Equal(NoticeKind.Reminder, Assert.Single(reminder.Notices).Kind);
        Assert.Empty(reminder.Events);
        Assert.True(rerun.IsEmpty);
        Assert.Empty(after.Notices);
    }

    [Fact]
    public void An_inhibited_signal_opens_no_alert_and_the_period_neither_holds_nor_counts_as_quiet()
    {
        var scenario = new AlertScenario();
        var gate = new Inhibition(Level.Organisation, "R0A", "stillbirth", "ethnic_group", InhibitionCause.DataQualityGate,
            "ethnicity not stated for 14% of the window's births (limit 10%)");

        var first = scenario.Evaluate(Evaluation("2026-08", Signal("2026-08")) with { Inhibitions = [gate] });
        Assert.Empty(first.Upserts);
        Assert.Single(first.Inhibited);

        scenario.Run("2026-09", Signal("2026-09"));
        scenario.Run("2026-10");
        scenario.Evaluate(Evaluation("2026-11") with { Inhibitions = [gate] });

        Assert.Equal(AlertStatus.Firing, scenario.State(BlackStillbirths).Status);
        Assert.DoesNotContain(scenario.State(BlackStillbirths).Observations, o => o.Period == Period.Parse("2026-11"));
    }

    [Fact]
    public void Inhibition_does_not_touch_the_data_quality_alert_that_explains_it()
    {
        var scenario = new AlertScenario();
        var dq = new AlertFingerprint(Level.Organisation, "R0A", "stillbirth", "ethnic_group", "unknown", AlertRule.DataQuality);
        var gate = new Inhibition(Level.Organisation, "R0A", null, null, InhibitionCause.SubmissionRejected, "submission rejected");

        var decision = scenario.Evaluate(Evaluation("2026-10", Signal("2026-10"), Signal("2026-10", AlertSeverity.Watch, dq)) with { Inhibitions = [gate] });

        Assert.Equal(dq, Assert.Single(decision.Notices).Alert.Fingerprint);
        Assert.Equal(BlackStillbirths, Assert.Single(decision.Inhibited).Fingerprint);
    }

    [Fact]
    public void A_silenced_alert_keeps_its_state_and_history_but_sends_nothing()
    {
        var scenario = new AlertScenario();
        scenario.Silences.Add(new Silence("s1", SilenceMatcher.TryParse("organisation|R0A")!, "known coding issue", "lead@nhs.net",
            scenario.Now.AddDays(-1), scenario.Now.AddDays(30)));

        var decision = scenario.Run("2026-10", Signal("2026-10"));

        Assert.Equal(AlertStatus.Firing, Assert.Single(decision.Upserts).Status);
        Assert.Single(decision.Events);
        Assert.Empty(decision.Notices);
        Assert.Equal("s1", Assert.Single(decision.Silenced).SilenceId);
        Assert.Null(scenario.State(BlackStillbirths).NotifiedStatus);
    }

    [Fact]
    public void An_expired_silence_stops_applying_by_itself_and_the_recipients_hear_the_current_state()
    {
        var scenario = new AlertScenario();
        scenario.Silences.Add(new Silence("s1", SilenceMatcher.Everything, "holiday", "lead@nhs.net",
            scenario.Now.AddDays(-1), scenario.Now.AddDays(10)));
        scenario.Run("2026-10", Signal("2026-10"));

        scenario.Now = scenario.Now.AddDays(11);
        var decision = scenario.Run("2026-10", Signal("2026-10"));

        Assert.Empty(decision.Events);
        Assert.Equal(NoticeKind.New, Assert.Single(decision.Notices).Kind);
    }

    [Fact]
    public void An_alert_that_fired_and_resolved_while_silenced_sends_nothing_afterwards()
    {
        var scenario = new AlertScenario();
        scenario.Silences.Add(new Silence("s1", SilenceMatcher.Everything, "holiday", "lead@nhs.net",
            scenario.Now.AddDays(-1), scenario.Now.AddDays(10)));
        scenario.Run("2026-08", Signal("2026-08"));
        scenario.Run("2026-09");
        scenario.Run("2026-10");

        scenario.Now = scenario.Now.AddDays(11);
        var decision = scenario.Run("2026-11");

        Assert.Equal(AlertStatus.Resolved, scenario.State(BlackStillbirths).Status);
        Assert.Empty(decision.Notices);
        Assert.Empty(scenario.Notices);
    }

    [Fact]
    public void A_resubmission_that_removes_the_only_signal_withdraws_the_alert_and_tells_the_recipients()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-09", Signal("2026-09"));

        var revised = scenario.Run("2026-09");

        Assert.Equal(AlertEventKind.Withdrawn, Assert.Single(revised.Events).Kind);
        Assert.Equal(NoticeKind.Resolved, Assert.Single(revised.Notices).Kind);
        Assert.Equal(AlertStatus.Resolved, scenario.State(BlackStillbirths).Status);
    }

    [Fact]
    public void A_resubmission_for_an_older_period_replays_history_and_emails_only_what_changed()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-07");
        scenario.Run("2026-08", Signal("2026-08"));
        scenario.Run("2026-09", Signal("2026-09"));
        scenario.Run("2026-10", Signal("2026-10"));

        // The July file is replaced and July's window now shows the gap too: the alert has been firing since July.
        var july = scenario.Run("2026-07", Signal("2026-07"));
        Assert.Empty(july.Events);
        Assert.Empty(july.Notices);
        Assert.Equal(Period.Parse("2026-07"), scenario.State(BlackStillbirths).FiringSince);
        Assert.Equal(Period.Parse("2026-10"), scenario.State(BlackStillbirths).LastEvaluated);

        // Re-evaluating the later windows with unchanged results changes nothing.
        Assert.True(scenario.Run("2026-08", Signal("2026-08")).IsEmpty);
    }

    [Fact]
    public void A_resubmission_that_makes_two_recent_periods_quiet_resolves_the_alert()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-08", Signal("2026-08"));
        scenario.Run("2026-09", Signal("2026-09"));
        scenario.Run("2026-10", Signal("2026-10"));

        scenario.Run("2026-09");
        var last = scenario.Run("2026-10");

        Assert.Equal(AlertEventKind.Resolved, Assert.Single(last.Events).Kind);
        Assert.Equal(Period.Parse("2026-10"), last.Events[0].Period);
        Assert.Equal(NoticeKind.Resolved, Assert.Single(last.Notices).Kind);
    }

    [Fact]
    public void Alerts_of_organisations_that_were_not_evaluated_are_left_alone()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-08", Signal("2026-08"));
        var otherTrust = new AlertEvaluation(Period.Parse("2026-09"),
            [new EvaluatedUnit(Level.Organisation, "R1F", EvaluatedUnit.DetectionRules)], [], []);

        scenario.Evaluate(otherTrust);
        scenario.Evaluate(otherTrust with { Period = Period.Parse("2026-10") });

        Assert.Equal(AlertStatus.Firing, scenario.State(BlackStillbirths).Status);
        Assert.Single(scenario.State(BlackStillbirths).Observations);
    }

    [Fact]
    public void Two_signals_for_one_fingerprint_in_one_period_are_a_detection_bug_named_in_the_error()
    {
        var scenario = new AlertScenario();

        var error = Assert.Throws<ArgumentException>(() => scenario.Run("2026-10", Signal("2026-10"), Signal("2026-10")));

        Assert.Contains("organisation|R0A|stillbirth|ethnic_group|Black|ratio", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resolved_alert_that_holds_again_fires_again_as_new()
    {
        var scenario = new AlertScenario();
        scenario.Run("2026-06", Signal("2026-06"));
        scenario.Run("2026-07");
        scenario.Run("2026-08");

        var again = scenario.Run("2026-09", Signal("2026-09"));

        var fired = Assert.Single(again.Events);
        Assert.Equal((AlertEventKind.Fired, AlertStatus.Resolved), (fired.Kind, fired.OldStatus!.Value));
        Assert.Equal(NoticeKind.New, Assert.Single(again.Notices).Kind);
        Assert.Equal(Period.Parse("2026-09"), scenario.State(BlackStillbirths).FiringSince);
        Assert.Null(scenario.State(BlackStillbirths).ResolvedAt);
    }
}
