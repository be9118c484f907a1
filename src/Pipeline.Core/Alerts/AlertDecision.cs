using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts;

public enum AlertEventKind
{
    /// <summary>None or resolved → firing.</summary>
    Fired,

    /// <summary>Firing watch → firing alert.</summary>
    Escalated,

    /// <summary>Firing alert → firing watch.</summary>
    Deescalated,

    /// <summary>Firing → resolved after <see cref="AlertPolicy.ResolveAfter"/> quiet evaluated periods.</summary>
    Resolved,

    /// <summary>Firing → resolved because revised data for the period(s) it fired on no longer support it.</summary>
    Withdrawn,
}

/// <summary>One state change (an <c>alert_event</c> row): the period whose evaluation caused it, old → new, and the evidence.</summary>
public sealed record AlertEvent(
    AlertFingerprint Fingerprint,
    Period Period,
    AlertEventKind Kind,
    AlertStatus? OldStatus,
    AlertStatus NewStatus,
    AlertSeverity? OldSeverity,
    AlertSeverity NewSeverity,
    AlertEvidence Evidence,
    DateTimeOffset RecordedAt);

public enum NoticeKind
{
    New,
    Escalated,
    Deescalated,
    Resolved,
    Reminder,
}

/// <summary>Something the recipients of <see cref="AlertState.Route"/> must be told about one alert.</summary>
public sealed record AlertNotice(NoticeKind Kind, AlertState Alert, AlertSeverity? PreviousSeverity);

/// <summary>A notice that an active silence kept from being sent.</summary>
public sealed record SilencedNotice(AlertNotice Notice, string SilenceId);

/// <summary>
/// The result of one evaluation: states to upsert (only those that changed), events to append, notices to group into
/// emails, and, for transparency, notices held back by silences and signals withheld by inhibitions.
/// </summary>
public sealed record AlertDecision(
    Period Period,
    IReadOnlyList<AlertState> Upserts,
    IReadOnlyList<AlertEvent> Events,
    IReadOnlyList<AlertNotice> Notices,
    IReadOnlyList<SilencedNotice> Silenced,
    IReadOnlyList<AlertSignal> Inhibited,
    IReadOnlyList<Inhibition> Inhibitions)
{
    public bool IsEmpty => Upserts.Count == 0 && Events.Count == 0 && Notices.Count == 0;
}
