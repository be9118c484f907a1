using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Notifications;
using Pipeline.Adapters.Store;

namespace Pipeline.App.Hosting;

/// <summary>
/// The dispatch timer with Blob Storage: opens SQL only when the outbox signal says mail is due, so a serverless database
/// stays paused between monthly loads. Clears the signal, drains, and raises it again for a pending retry or a failed drain.
/// </summary>
public sealed partial class SignalledNotificationPump(
    BlobOutboxSignal signal, INotificationPump inner, SqlNotificationOutbox outbox, TimeProvider time, ILogger<SignalledNotificationPump> logger)
    : INotificationPump
{
    public async Task DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var state = await signal.ReadAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (state is null || state.DueAt > now)
        {
            LogNothingDue(state?.DueAt);
            return;
        }

        await signal.TryClearAsync(state, cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Put the signal back so the next tick tries again; the drain's own failure is what the host must see.
            try
            {
                await signal.RaiseAsync(now, CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any failure to restore the signal is logged; the original exception is rethrown below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRestoreFailed(ex);
            }

            throw;
        }

        if (await outbox.NextAttemptAtAsync(cancellationToken).ConfigureAwait(false) is { } next)
        {
            await signal.RaiseAsync(next, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dispatch failed and the outbox signal could not be restored; the daily late-submission check raises it again")]
    private partial void LogRestoreFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No mail due (signal: {DueAt}); SQL not opened")]
    private partial void LogNothingDue(DateTimeOffset? dueAt);
}

/// <summary>Raises the outbox signal after work that may have queued mail (a processed upload, the daily check), even when it failed part-way.</summary>
internal sealed partial class OutboxSignalRaiser(BlobOutboxSignal signal, TimeProvider time, ILogger<OutboxSignalRaiser> logger)
{
    public async Task AfterAsync(Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await signal.RaiseAsync(time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The work's own outcome matters more; the daily check raises the signal again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogRaiseFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not raise the outbox signal; queued mail goes out after the next daily late-submission check at the latest")]
    private partial void LogRaiseFailed(Exception ex);
}

internal sealed class SignallingSubmissionIntake(OutboxSignalRaiser raiser, ISubmissionIntake inner) : ISubmissionIntake
{
    public Task ProcessAsync(string objectKey, CancellationToken cancellationToken) =>
        raiser.AfterAsync(() => inner.ProcessAsync(objectKey, cancellationToken));
}

internal sealed class SignallingLateSubmissionCheck(OutboxSignalRaiser raiser, ILateSubmissionCheck inner) : ILateSubmissionCheck
{
    public Task RunAsync(CancellationToken cancellationToken) => raiser.AfterAsync(() => inner.RunAsync(cancellationToken));
}
