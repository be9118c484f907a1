using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;

namespace Pipeline.App.Reporting;

/// <summary>
/// Publishes the reports queued alert emails link to (<c>report_publication</c>), each built from the store as it is now.
/// Runs before the emails are sent (<see cref="Hosting.ReportsFirstNotificationPump"/>, <c>pipeline notify</c>, the demo),
/// outside the transaction that queued them: a report reads through the store's own connections.
/// </summary>
public sealed partial class PendingReports(
    IPipelineStore store, ReportPublisher publisher, TimeProvider time, ILogger<PendingReports> logger)
{
    /// <summary>Publishes every requested report not yet published; returns how many were written.</summary>
    public async Task<int> PublishAsync(CancellationToken cancellationToken)
    {
        var pending = await store.ReadAsync((session, ct) => session.ReportPublications.PendingAsync(ct), cancellationToken)
            .ConfigureAwait(false);
        var written = 0;
        foreach (var (route, period) in pending)
        {
            try
            {
                await publisher.PublishAsync(route, period, cancellationToken).ConfigureAwait(false);
                written++;
            }
            catch (ArgumentException ex)
            {
                // A route the reference data does not know (trusts without an LMNS go to the default contacts): no report to
                // build, and retrying would not make one.
                LogNoReport(logger, route.ToString(), period.ToString(), ex.Message);
            }

            await MarkAsync(route, period, cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    private Task<bool> MarkAsync(AlertRoute route, Period period, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (session, ct) =>
            {
                await session.ReportPublications.MarkPublishedAsync(route, period, time.GetUtcNow(), ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No report for {Route}, {Period}: {Reason}")]
    private static partial void LogNoReport(ILogger logger, string route, string period, string reason);
}
