using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Hosting;
using Pipeline.Core.Notifications;

namespace Pipeline.App.Notifications;

/// <summary>What one drain of the outbox did.</summary>
public sealed record DispatchResult(int Sent, int Retrying, int GaveUp)
{
    public int Attempted => Sent + Retrying + GaveUp;
}

/// <summary>
/// Drains due notifications through a mail transport, retrying failures with backoff (<see cref="RetryPolicy"/>). Delivery is
/// at least once; a message sent twice after a crash keeps its Message-Id (from the notification id), so it reads as the same.
/// </summary>
public sealed partial class NotificationDispatcher(
    INotificationOutbox outbox,
    IMailTransport transport,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger,
    RetryPolicy? retry = null) : INotificationPump
{
    private readonly RetryPolicy _retry = retry ?? RetryPolicy.Default;

    /// <summary>Notifications taken per drain. Default 100.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The hosts' timer entry point: drains batch after batch until nothing due is left.</summary>
    public async Task DispatchPendingAsync(CancellationToken cancellationToken)
    {
        DispatchResult batch;
        do
        {
            batch = await DispatchDueAsync(cancellationToken).ConfigureAwait(false);
        }
        while (batch.Attempted == BatchSize);
    }

    /// <summary>Sends one batch of due notifications (at most <see cref="BatchSize"/>).</summary>
    public async Task<DispatchResult> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var due = await outbox.ListDueAsync(time.GetUtcNow(), BatchSize, cancellationToken).ConfigureAwait(false);
        int sent = 0, retrying = 0, gaveUp = 0;
        foreach (var notification in due)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? error;
            try
            {
                await transport.SendAsync(notification, cancellationToken).ConfigureAwait(false);
                error = null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // Any transport failure (socket, TLS, auth, protocol, I/O) is recorded and retried; none may stop the drain.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = $"{ex.GetType().Name}: {ex.Message}";
            }

            if (error is null)
            {
                await outbox.MarkSentAsync(notification.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                sent++;
                LogSent(notification.Id, notification.Recipients.Count, notification.Subject);
                continue;
            }

            var failedAt = time.GetUtcNow();
            var next = _retry.NextAttempt(notification.Attempts + 1, failedAt);
            await outbox.MarkFailedAsync(notification.Id, error, next, cancellationToken).ConfigureAwait(false);
            if (next is { } at)
            {
                retrying++;
                LogRetrying(notification.Id, notification.Attempts + 1, at, error);
            }
            else
            {
                gaveUp++;
                LogGaveUp(notification.Id, notification.Attempts + 1, error);
            }
        }

        return new DispatchResult(sent, retrying, gaveUp);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent notification {NotificationId} to {RecipientCount} recipient(s): {Subject}")]
    private partial void LogSent(string notificationId, int recipientCount, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} failed (attempt {Attempt}); next attempt at {NextAttemptAt:o}: {Error}")]
    private partial void LogRetrying(string notificationId, int attempt, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {NotificationId} failed {Attempt} times and will not be retried: {Error}")]
    private partial void LogGaveUp(string notificationId, int attempt, string error);
}
