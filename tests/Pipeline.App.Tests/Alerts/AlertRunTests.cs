using Pipeline.Adapters.Charts;
using Pipeline.App.Alerts;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Reference;
using Pipeline.Core.Tests.Alerts;
using static Pipeline.Core.Tests.Alerts.AlertScenario;

namespace Pipeline.App.Tests.Alerts;

public class AlertRunTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly AlertRun _run = new(AlertEmailExample.Directory(), new NotificationComposer(new AlertEmailRenderer(ReferenceData.Embedded), ForestPlotRenderer.RenderPng));

    [Fact]
    public void A_run_produces_the_states_events_and_one_complete_outbox_row_per_recipient_group()
    {
        var outcome = _run.Evaluate(Evaluation("2026-10", Signal("2026-10")), [], [], Now);

        Assert.Single(outcome.Decision.Upserts);
        Assert.Single(outcome.Decision.Events);
        var notification = Assert.Single(outcome.Notifications);
        Assert.Equal(2, notification.Recipients.Count);
        Assert.Equal(ForestPlot.ContentId, Assert.Single(notification.InlineImages).ContentId);
        Assert.Equal(Now, notification.NextAttemptAt);
        Assert.Empty(outcome.Unroutable);
    }

    [Fact]
    public void Running_the_same_evaluation_on_the_saved_states_produces_nothing_to_write()
    {
        var first = _run.Evaluate(Evaluation("2026-10", Signal("2026-10")), [], [], Now);

        var again = _run.Evaluate(Evaluation("2026-10", Signal("2026-10")), first.Decision.Upserts, [], Now.AddHours(1));

        Assert.True(again.Decision.IsEmpty);
        Assert.Empty(again.Notifications);
    }

    [Fact]
    public void Re_running_a_run_whose_writes_were_lost_produces_the_same_notification_id()
    {
        var first = _run.Evaluate(Evaluation("2026-10", Signal("2026-10")), [], [], Now);

        var retried = _run.Evaluate(Evaluation("2026-10", Signal("2026-10")), [], [], Now.AddMinutes(5));

        Assert.Equal(first.Notifications[0].Id, retried.Notifications[0].Id);
    }

    [Fact]
    public void A_run_over_several_periods_sends_one_email_describing_the_alert_as_it_ended()
    {
        var outcome = _run.EvaluateRun([Evaluation("2026-10", Signal("2026-10")), Evaluation("2026-09", Signal("2026-09"))], [], [], Now);

        var notice = Assert.Single(outcome.Decision.Notices);
        Assert.Equal((NoticeKind.New, "2026-10", "2026-09"), (notice.Kind, notice.Alert.LastEvaluated.ToString(), notice.Alert.FiringSince.ToString()));
        Assert.Single(outcome.Notifications);
        Assert.Equal(AlertEventKind.Fired, Assert.Single(outcome.Decision.Events).Kind);
        Assert.Equal(2, Assert.Single(outcome.Decision.Upserts).Observations.Count);
    }

    [Fact]
    public void An_alert_that_fires_and_resolves_within_one_run_is_recorded_but_sends_nothing()
    {
        var outcome = _run.EvaluateRun([Evaluation("2026-08", Signal("2026-08")), Evaluation("2026-09"), Evaluation("2026-10")], [], [], Now);

        Assert.Equal([AlertEventKind.Fired, AlertEventKind.Resolved], outcome.Decision.Events.Select(e => e.Kind));
        Assert.Equal(AlertStatus.Resolved, Assert.Single(outcome.Decision.Upserts).Status);
        Assert.Empty(outcome.Notifications);
    }

    [Fact]
    public void Re_running_several_periods_on_the_saved_states_writes_nothing()
    {
        IReadOnlyList<AlertEvaluation> run = [Evaluation("2026-09", Signal("2026-09")), Evaluation("2026-10", Signal("2026-10", AlertSeverity.Watch))];
        var first = _run.EvaluateRun(run, [], [], Now);

        var again = _run.EvaluateRun(run, first.Decision.Upserts, [], Now.AddDays(1));

        Assert.True(again.Decision.IsEmpty);
        Assert.Empty(again.Notifications);
    }

    [Fact]
    public void A_notice_nobody_could_receive_is_not_recorded_as_told_so_it_goes_out_once_a_contact_exists()
    {
        var nobody = new AlertRun(new ContactDirectory([]), new NotificationComposer(new AlertEmailRenderer(ReferenceData.Embedded), ForestPlotRenderer.RenderPng));
        var unrouted = nobody.EvaluateRun([Evaluation("2026-10", Signal("2026-10"))], [], [], Now);

        var later = _run.EvaluateRun([Evaluation("2026-10", Signal("2026-10"))], unrouted.Decision.Upserts, [], Now.AddDays(1));

        Assert.Single(unrouted.Unroutable);
        Assert.Null(Assert.Single(unrouted.Decision.Upserts).NotifiedStatus);
        Assert.Equal(NoticeKind.New, Assert.Single(later.Decision.Notices).Kind);
        Assert.Single(later.Notifications);
    }
}
