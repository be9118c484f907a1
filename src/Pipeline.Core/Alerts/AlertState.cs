using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts;

/// <summary>
/// What the state machine learned about one fingerprint at one evaluated period: the rule held with a severity and its
/// evidence, or it was evaluated and did not hold (<see cref="Severity"/> null). Periods that were not evaluated (no
/// accepted data, or inhibited) have no observation, so they neither keep an alert open nor count towards resolving it.
/// </summary>
public sealed record AlertObservation(Period Period, AlertSeverity? Severity, AlertEvidence? Evidence)
{
    public bool Held => Severity is not null;
}

/// <summary>
/// The stored state of one alert. Status, severity and dates are derived from <see cref="Observations"/> by
/// <see cref="AlertLifecycle"/>; the <c>Notified*</c> fields record what the recipients were last told, which is what
/// decides whether a change needs an email (the Alertmanager notification-log idea).
/// </summary>
public sealed record AlertState
{
    public required AlertFingerprint Fingerprint { get; init; }

    public required AlertRoute Route { get; init; }

    public required AlertStatus Status { get; init; }

    /// <summary>The severity at the last period the rule held.</summary>
    public required AlertSeverity Severity { get; init; }

    /// <summary>First period of the current (or last) firing episode.</summary>
    public required Period FiringSince { get; init; }

    public required Period LastHeld { get; init; }

    /// <summary>The period at which the alert resolved; null while firing.</summary>
    public Period? ResolvedAt { get; init; }

    /// <summary>The latest period that was evaluated for this alert.</summary>
    public required Period LastEvaluated { get; init; }

    /// <summary>The evidence of the latest period at which the rule held.</summary>
    public required AlertEvidence Evidence { get; init; }

    /// <summary>
    /// Every evaluated period, oldest first (one per period); with a <see cref="Checkpoint"/>, only those after its period.
    /// </summary>
    public required IReadOnlyList<AlertObservation> Observations { get; init; }

    /// <summary>
    /// Null when <see cref="Observations"/> is the whole history. Otherwise what the observations up to the checkpoint's
    /// period came to, standing in for them: a run that only evaluates later periods needs no more (#18: loading every
    /// month's observation of every alert for each evaluation made each month cost more than the last).
    /// </summary>
    public AlertCheckpoint? Checkpoint { get; init; }

    /// <summary>Status the recipients were last told; null when they were never told (e.g. silenced throughout).</summary>
    public AlertStatus? NotifiedStatus { get; init; }

    public AlertSeverity? NotifiedSeverity { get; init; }

    /// <summary>The alert's latest evaluated period when the recipients were last told; the repeat interval counts from it.</summary>
    public Period? NotifiedPeriod { get; init; }

    /// <summary>How many notices about this alert have been sent; part of the notification id, so a later notice that says the same thing is still a new email.</summary>
    public int NotificationCount { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// An alert's lifecycle as of <see cref="Through"/>, replayed from its observations up to then, with no quiet period pending
/// (the last period the rule held, for a firing alert; any period from its resolution on, for a resolved one). Replaying the
/// later observations from it gives what replaying the whole history gives (docs/alerts.md §2).
/// </summary>
public sealed record AlertCheckpoint(
    Period Through,
    AlertStatus Status,
    AlertSeverity Severity,
    Period FiringSince,
    Period LastHeld,
    Period? ResolvedAt,
    AlertEvidence Evidence);
