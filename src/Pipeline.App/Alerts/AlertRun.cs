using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;

namespace Pipeline.App.Alerts;

/// <summary>
/// Everything one alert evaluation produces, ready to be written in one transaction: states to upsert, events to append
/// and outbox rows to insert (ignoring ids that already exist). <see cref="Unroutable"/> notices had no recipient.
/// </summary>
public sealed record AlertRunOutcome(AlertDecision Decision, IReadOnlyList<Notification> Notifications, IReadOnlyList<AlertNotice> Unroutable)
{
    /// <summary>The reports the queued emails link to (route and month), to be published before they are sent.</summary>
    public IReadOnlyList<(AlertRoute Route, Period Period)> LinkedReports { get; init; } = [];

    /// <summary>
    /// The first period the run evaluated: an alert's observations change only at evaluated periods, so those before it are
    /// stored already and need not be written again (#18: rewriting every observation made each month cost more than the last).
    /// </summary>
    public Period? ObservedFrom { get; init; }
}

/// <summary>
/// Step 7 of the processor (docs/ingest-and-storage.md, "Processing one file"): evaluate alerts, group the notices per recipient group, and compose one
/// email each (with its chart). No I/O: the caller loads states and silences, then persists the outcome atomically, so
/// the outbox rows exist exactly when the state that caused them does.
/// </summary>
public sealed class AlertRun(ContactDirectory contacts, NotificationComposer composer, AlertPolicy? policy = null)
{
    public AlertRunOutcome Evaluate(AlertEvaluation evaluation, IEnumerable<AlertState> states, IReadOnlyList<Silence> silences, DateTimeOffset now)
    {
        var decision = AlertEngine.Evaluate(evaluation, states, silences, now, policy);
        var routing = AlertGrouping.Group(decision, contacts);
        return new AlertRunOutcome(decision, [.. routing.Groups.Select(g => composer.ForAlerts(g, now))], routing.Unroutable)
        {
            LinkedReports = [.. routing.Groups.Select(g => (g.Route, g.Period))],
            ObservedFrom = evaluation.Period,
        };
    }

    /// <summary>
    /// One processing run over several evaluated periods (a resubmission re-evaluates every window that includes its month,
    /// oldest first): each period's decision feeds the next, and the run still makes one email per recipient group, saying
    /// where each alert ended up. A notice superseded later in the run keeps only its last form; an alert that fired and
    /// resolved within the run without the recipients ever hearing of it sends nothing.
    /// </summary>
    /// <param name="sendsNow">
    /// Which notices go out with this run; the others are held for the route's monthly digest (docs/alerts.md §4): their
    /// alerts keep what the recipients were last told, so the digest tells them. Null sends every notice now.
    /// </param>
    public AlertRunOutcome EvaluateRun(
        IReadOnlyList<AlertEvaluation> evaluations,
        IEnumerable<AlertState> states,
        IReadOnlyList<Silence> silences,
        DateTimeOffset now,
        Func<AlertNotice, bool>? sendsNow = null)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        if (evaluations.Count == 0)
        {
            throw new ArgumentException("A run evaluates at least one period.", nameof(evaluations));
        }

        var before = states.ToDictionary(s => s.Fingerprint);
        var current = new Dictionary<AlertFingerprint, AlertState>(before);
        var upserts = new Dictionary<AlertFingerprint, AlertState>();
        var events = new List<AlertEvent>();
        var notices = new Dictionary<AlertFingerprint, AlertNotice>();
        var silenced = new Dictionary<AlertFingerprint, SilencedNotice>();
        AlertDecision? last = null;
        foreach (var evaluation in evaluations.OrderBy(e => e.Period))
        {
            last = AlertEngine.Evaluate(evaluation, current.Values, silences, now, policy);
            foreach (var state in last.Upserts)
            {
                current[state.Fingerprint] = state;
                upserts[state.Fingerprint] = state;
            }

            events.AddRange(last.Events);
            foreach (var notice in last.Notices)
            {
                notices[notice.Alert.Fingerprint] = notice;
                silenced.Remove(notice.Alert.Fingerprint);
            }

            foreach (var kept in last.Silenced)
            {
                silenced[kept.Notice.Alert.Fingerprint] = kept;
            }
        }

        var told = notices.Values
            .Where(n => !(n.Kind == NoticeKind.Resolved && before.GetValueOrDefault(n.Alert.Fingerprint)?.NotifiedStatus != AlertStatus.Firing))
            .Select(n => n with { Alert = current[n.Alert.Fingerprint] })
            .OrderBy(n => n.Alert.Fingerprint.ToString(), StringComparer.Ordinal)
            .ToList();
        var held = sendsNow is null ? [] : told.Where(n => !sendsNow(n)).Select(n => n.Alert.Fingerprint).ToHashSet();
        var decision = last! with
        {
            Upserts = [.. upserts.Values.OrderBy(s => s.Fingerprint.ToString(), StringComparer.Ordinal)],
            Events = events,
            Notices = [.. told.Where(n => !held.Contains(n.Alert.Fingerprint))],
            Silenced = [.. silenced.Values],
        };
        var routing = AlertGrouping.Group(decision, contacts);

        // Nobody received a held or unroutable notice, so the alert must not record that its recipients were told: the
        // digest, or the next evaluation once a contact is configured, tells them (nothing is lost).
        var untold = routing.Unroutable.Select(n => n.Alert.Fingerprint).Concat(held).ToHashSet();
        if (untold.Count > 0)
        {
            decision = decision with
            {
                Upserts = [.. decision.Upserts
                    .Select(s => !untold.Contains(s.Fingerprint) ? s : s with
                    {
                        NotifiedStatus = before.GetValueOrDefault(s.Fingerprint)?.NotifiedStatus,
                        NotifiedSeverity = before.GetValueOrDefault(s.Fingerprint)?.NotifiedSeverity,
                        NotifiedPeriod = before.GetValueOrDefault(s.Fingerprint)?.NotifiedPeriod,
                        NotificationCount = before.GetValueOrDefault(s.Fingerprint)?.NotificationCount ?? 0,
                    })
                    // Held again with nothing else changed: the stored row already says all of it.
                    .Where(s => before.GetValueOrDefault(s.Fingerprint) is not { } old || s with { UpdatedAt = old.UpdatedAt } != old)],
            };
        }

        return new AlertRunOutcome(decision, [.. routing.Groups.Select(g => composer.ForAlerts(g, now))], routing.Unroutable)
        {
            LinkedReports = [.. routing.Groups.Select(g => (g.Route, g.Period))],
            ObservedFrom = evaluations.Min(e => e.Period),
        };
    }
}
