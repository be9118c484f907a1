using Pipeline.App.Reporting;

namespace Pipeline.App.Hosting;

/// <summary>
/// Publishes the reports the queued alert emails link to, then sends the emails, so every "Full report" link opens a page
/// by the time a lead reads it (docs/alerts.md §5).
/// </summary>
public sealed class ReportsFirstNotificationPump(PendingReports reports, INotificationPump inner) : INotificationPump
{
    public async Task DispatchPendingAsync(CancellationToken cancellationToken)
    {
        await reports.PublishAsync(cancellationToken).ConfigureAwait(false);
        await inner.DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
    }
}
