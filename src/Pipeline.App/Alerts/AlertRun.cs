using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Notifications;

namespace Pipeline.App.Alerts;

/// <summary>
/// Everything one alert evaluation produces, ready to be written in one transaction: states to upsert, events to append
/// and outbox rows to insert (ignoring ids that already exist). <see cref="Unroutable"/> notices had no recipient.
/// </summary>
public sealed record AlertRunOutcome(AlertDecision Decision, IReadOnlyList<Notification> Notifications, IReadOnlyList<AlertNotice> Unroutable);

/// <summary>
/// Step 7 of the processor (design README §2): evaluate alerts, group the notices per recipient group, and compose one
/// email each (with its chart). No I/O: the caller loads states and silences, then persists the outcome atomically, so
/// the outbox rows exist exactly when the state that caused them does.
/// </summary>
public sealed class AlertRun(ContactDirectory contacts, NotificationComposer composer, AlertPolicy? policy = null)
{
    public AlertRunOutcome Evaluate(AlertEvaluation evaluation, IEnumerable<AlertState> states, IReadOnlyList<Silence> silences, DateTimeOffset now)
    {
        var decision = AlertEngine.Evaluate(evaluation, states, silences, now, policy);
        var routing = AlertGrouping.Group(decision, contacts);
        return new AlertRunOutcome(decision, [.. routing.Groups.Select(g => composer.ForAlerts(g, now))], routing.Unroutable);
    }
}
