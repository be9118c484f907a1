using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;

namespace Pipeline.App.Alerts;

/// <summary>
/// Persists an <see cref="AlertRunOutcome"/> inside one transaction: states, events, the outbox rows, and a request to
/// publish each report the emails link to.
/// </summary>
internal static partial class AlertWriter
{
    public static async Task WriteAsync(
        StoreSession store, AlertRunOutcome outcome, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        await (outcome.ObservedFrom is { } from
            ? store.Alerts.SaveAsync(outcome.Decision.Upserts, outcome.Decision.Events, from, cancellationToken)
            : store.Alerts.SaveAsync(outcome.Decision.Upserts, outcome.Decision.Events, cancellationToken)).ConfigureAwait(false);
        foreach (var notification in outcome.Notifications)
        {
            await store.AddNotificationAsync(notification, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (route, period) in outcome.LinkedReports)
        {
            await store.ReportPublications.RequestAsync(route, period, now, cancellationToken).ConfigureAwait(false);
        }

        foreach (var notice in outcome.Unroutable)
        {
            LogUnroutable(logger, notice.Alert.Fingerprint.ToString(), notice.Alert.Route.ToString());
        }

        foreach (var held in outcome.Decision.Silenced)
        {
            LogSilenced(logger, held.Notice.Alert.Fingerprint.ToString(), held.SilenceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {Fingerprint} has nobody to tell: no contact for {Route} and no default contact in the contacts file")]
    private static partial void LogUnroutable(ILogger logger, string fingerprint, string route);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Fingerprint}: notice held back by silence {SilenceId}")]
    private static partial void LogSilenced(ILogger logger, string fingerprint, string silenceId);
}
