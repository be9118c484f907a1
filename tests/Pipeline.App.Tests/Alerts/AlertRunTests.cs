using Pipeline.Adapters.Charts;
using Pipeline.App.Alerts;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Rendering;
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
}
