using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts;

/// <summary>
/// The alert state machine (docs/alerts.md §2): signals of one evaluated period + current states + silences + now → changed
/// states, <c>alert_event</c>s and notices. Pure and deterministic: the same inputs give the same decision, and
/// applying a decision then evaluating the same period again yields no events and no notices.
/// </summary>
/// <remarks>
/// Periods: each alert keeps one observation per evaluated period and its lifecycle is replayed from them
/// (<see cref="AlertLifecycle"/>). Evaluating an older period (a resubmission) replaces that period's observation and
/// replays, so an alert may turn out to have fired earlier, to have resolved, or to be withdrawn (it never held). The
/// caller re-evaluates every window that includes the resubmitted period, oldest first (docs/alerts.md §2); events record the
/// period whose evaluation caused them. Emails depend only on the difference between the derived state and what the
/// recipients were last told, so a replay that ends where it started sends nothing.
/// </remarks>
public static class AlertEngine
{
    public static AlertDecision Evaluate(
        AlertEvaluation evaluation,
        IEnumerable<AlertState> current,
        IReadOnlyList<Silence> silences,
        DateTimeOffset now,
        AlertPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        policy ??= AlertPolicy.Default;
        var period = evaluation.Period;
        var states = current.ToDictionary(s => s.Fingerprint);

        var inhibited = new List<AlertSignal>();
        var signals = new Dictionary<AlertFingerprint, AlertSignal>();
        foreach (var signal in evaluation.Signals)
        {
            if (evaluation.Inhibitions.Any(i => i.Inhibits(signal.Fingerprint)))
            {
                inhibited.Add(signal);
            }
            else if (!signals.TryAdd(signal.Fingerprint, signal))
            {
                throw new ArgumentException(
                    $"Detection produced two signals for {signal.Fingerprint} in {period}; it must produce at most one per fingerprint.",
                    nameof(evaluation));
            }
        }

        bool IsInhibited(AlertFingerprint fp) => evaluation.Inhibitions.Any(i => i.Inhibits(fp));

        // Which (level, organisation, rule) were evaluated: the listed units. A signal only covers its own fingerprint (it is
        // always evaluated): a rejected trust-month's data_quality signal must not count as a quiet month for the trust's
        // other data_quality alerts, whose windows were not evaluated (no accepted data).
        var covered = evaluation.Evaluated.SelectMany(u => u.Rules.Select(r => (u.Level, u.OrganisationCode, r)))
            .ToHashSet();
        bool InScope(AlertFingerprint fp) => covered.Contains((fp.Level, fp.OrganisationCode, fp.Rule)) || IsInhibited(fp);

        var fingerprints = signals.Keys
            .Concat(states.Keys.Where(InScope))
            .Distinct()
            .OrderBy(fp => fp.ToString(), StringComparer.Ordinal);

        var upserts = new List<AlertState>();
        var events = new List<AlertEvent>();
        var notices = new List<AlertNotice>();
        var silenced = new List<SilencedNotice>();
        foreach (var fingerprint in fingerprints)
        {
            states.TryGetValue(fingerprint, out var old);
            signals.TryGetValue(fingerprint, out var signal);
            AlertObservation? observation = IsInhibited(fingerprint) ? null
                : signal is not null ? new AlertObservation(period, signal.Severity, signal.Evidence)
                : new AlertObservation(period, null, null);
            if (old is null && signal is null)
            {
                continue;
            }

            if (old?.Checkpoint is { } checkpoint && period <= checkpoint.Through)
            {
                throw new InvalidOperationException(
                    $"Alert {fingerprint} was loaded with its observations up to {checkpoint.Through} summarised; evaluating {period} " +
                    "replaces one of them, so it needs its whole history.");
            }

            var next = old;
            var observations = AlertLifecycle.With(old?.Observations ?? [], period, observation);
            if (old is null || !observations.SequenceEqual(old.Observations) || (signal is not null && signal.Route != old.Route))
            {
                next = Advance(old, fingerprint, signal?.Route ?? old!.Route, observations, period, now, policy);
                if (Describe(old, next, period, signal?.Evidence ?? next.Evidence, now) is { } change)
                {
                    events.Add(change);
                }
            }

            if (PendingNotice(next!, policy) is { } notice)
            {
                if (silences.FirstOrDefault(s => s.Silences(fingerprint, now)) is { } silence)
                {
                    silenced.Add(new SilencedNotice(notice, silence.Id));
                }
                else
                {
                    next = Told(next!, now);
                    notices.Add(notice with { Alert = next });
                }
            }

            if (!ReferenceEquals(next, old))
            {
                upserts.Add(next!);
            }
        }

        return new AlertDecision(period, upserts, events, notices, silenced, inhibited, evaluation.Inhibitions);
    }

    private static AlertState Advance(
        AlertState? old,
        AlertFingerprint fingerprint,
        AlertRoute route,
        IReadOnlyList<AlertObservation> observations,
        Period period,
        DateTimeOffset now,
        AlertPolicy policy)
    {
        var lastEvaluated = observations.Count > 0 ? observations[^1].Period : old!.LastEvaluated;
        if (AlertLifecycle.Replay(old?.Checkpoint, observations, policy) is not { } life)
        {
            // Revised data no longer show the rule holding in any period: keep the row (and its history) as resolved.
            return old! with
            {
                Route = route,
                Status = AlertStatus.Resolved,
                ResolvedAt = old.ResolvedAt ?? period,
                LastEvaluated = lastEvaluated,
                Observations = observations,
                UpdatedAt = now,
            };
        }

        return new AlertState
        {
            Fingerprint = fingerprint,
            Route = route,
            Status = life.Status,
            Severity = life.Severity,
            FiringSince = life.FiringSince,
            LastHeld = life.LastHeld,
            ResolvedAt = life.ResolvedAt,
            LastEvaluated = lastEvaluated,
            Evidence = life.Evidence,
            Observations = observations,
            Checkpoint = old?.Checkpoint,
            NotifiedStatus = old?.NotifiedStatus,
            NotifiedSeverity = old?.NotifiedSeverity,
            NotifiedPeriod = old?.NotifiedPeriod,
            NotificationCount = old?.NotificationCount ?? 0,
            UpdatedAt = now,
        };
    }

    private static AlertEvent? Describe(AlertState? old, AlertState next, Period period, AlertEvidence evidence, DateTimeOffset now)
    {
        // Only a transition from firing asks. An alert firing with a checkpoint fired at it or after it (a held observation).
        var everHeld = next.Checkpoint is not null || next.Observations.Any(o => o.Held);
        AlertEventKind? kind = (old?.Status, next.Status) switch
        {
            (AlertStatus.Firing, AlertStatus.Resolved) => everHeld ? AlertEventKind.Resolved : AlertEventKind.Withdrawn,
            (null or AlertStatus.Resolved, AlertStatus.Firing) => AlertEventKind.Fired,
            (AlertStatus.Firing, AlertStatus.Firing) when next.Severity > old!.Severity => AlertEventKind.Escalated,
            (AlertStatus.Firing, AlertStatus.Firing) when next.Severity < old!.Severity => AlertEventKind.Deescalated,
            _ => null,
        };
        return kind is null ? null
            : new AlertEvent(next.Fingerprint, period, kind.Value, old?.Status, next.Status, old?.Severity, next.Severity, evidence, now);
    }

    /// <summary>The state once its recipients have been told of it: what they now know, and one more notice counted.</summary>
    internal static AlertState Told(AlertState alert, DateTimeOffset now) => alert with
    {
        NotifiedStatus = alert.Status,
        NotifiedSeverity = alert.Severity,
        NotifiedPeriod = alert.LastEvaluated,
        NotificationCount = alert.NotificationCount + 1,
        UpdatedAt = now,
    };

    /// <summary>What the recipients need to hear, from the difference between the state and what they were last told.</summary>
    internal static AlertNotice? PendingNotice(AlertState alert, AlertPolicy policy)
    {
        // Below the emailed severity an alert is told nothing: not while it is a watch nobody heard of, not when an alert
        // eases to a watch (the recipients keep "alert" as what they were told, so easing and returning is not two emails),
        // and no reminders. Its resolution, once they were told of it, still goes out.
        var emailed = policy.Emails(alert.Fingerprint, alert.Severity);
        NoticeKind? kind = alert.Status switch
        {
            AlertStatus.Firing when alert.NotifiedStatus != AlertStatus.Firing => emailed ? NoticeKind.New : null,
            AlertStatus.Firing when alert.Severity > alert.NotifiedSeverity => NoticeKind.Escalated,
            AlertStatus.Firing when alert.Severity < alert.NotifiedSeverity => emailed ? NoticeKind.Deescalated : null,
            AlertStatus.Firing when emailed && alert.NotifiedPeriod is { } told &&
                                    alert.LastEvaluated.MonthsSince(told) >= policy.RepeatIntervalMonths => NoticeKind.Reminder,
            AlertStatus.Resolved when alert.NotifiedStatus == AlertStatus.Firing => NoticeKind.Resolved,
            _ => null,
        };
        return kind is null ? null : new AlertNotice(kind.Value, alert, alert.NotifiedSeverity);
    }
}
