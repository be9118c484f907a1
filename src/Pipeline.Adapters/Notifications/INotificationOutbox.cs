using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Notifications;

/// <summary>
/// The outbox of notifications (docs/alerts.md §6). Rows are written in the same transaction as the alert state
/// that caused them (the SQL store's job); the dispatcher drains them. Ids are deterministic, so adding the same
/// notification twice keeps one row.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>Adds a pending notification; false (and no change) when one with the same id already exists.</summary>
    Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken);

    Task<Notification?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>Pending notifications whose next attempt is due at <paramref name="now"/>, earliest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<Notification>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Records a successful delivery: status sent, attempts + 1, sent_at, last_error cleared.</summary>
    Task MarkSentAsync(string id, DateTimeOffset sentAt, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failed attempt: attempts + 1 and the reason; pending again at <paramref name="nextAttemptAt"/>, or
    /// status failed when it is null (the retry policy gave up).
    /// </summary>
    Task MarkFailedAsync(string id, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);
}
