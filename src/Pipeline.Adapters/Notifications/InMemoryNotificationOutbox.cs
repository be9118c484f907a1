using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Notifications;

/// <summary>
/// An outbox held in memory: for tests of the dispatcher and for one-shot runs that need no persistence. It passes the
/// same contract suite the SQL outbox must pass (<c>NotificationOutboxContract</c> in the tests).
/// </summary>
public sealed class InMemoryNotificationOutbox : INotificationOutbox
{
    private readonly Dictionary<string, Notification> _rows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        lock (_lock)
        {
            return Task.FromResult(_rows.TryAdd(notification.Id, notification));
        }
    }

    public Task<Notification?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Notification>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<Notification> due = [.. _rows.Values
                .Where(n => n.Status == NotificationStatus.Pending && n.NextAttemptAt <= now)
                .OrderBy(n => n.NextAttemptAt).ThenBy(n => n.CreatedAt).ThenBy(n => n.Id, StringComparer.Ordinal)
                .Take(limit)];
            return Task.FromResult(due);
        }
    }

    public Task MarkSentAsync(string id, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        Update(id, n => n with { Status = NotificationStatus.Sent, Attempts = n.Attempts + 1, SentAt = sentAt, LastError = null });

    public Task MarkFailedAsync(string id, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
        Update(id, n => n with
        {
            Status = nextAttemptAt is null ? NotificationStatus.Failed : NotificationStatus.Pending,
            Attempts = n.Attempts + 1,
            LastError = error,
            NextAttemptAt = nextAttemptAt ?? n.NextAttemptAt,
        });

    private Task Update(string id, Func<Notification, Notification> change)
    {
        lock (_lock)
        {
            _rows[id] = change(_rows.TryGetValue(id, out var row) ? row : throw new KeyNotFoundException($"No notification {id} in the outbox."));
        }

        return Task.CompletedTask;
    }
}
