using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Digests;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Reference;

namespace Pipeline.App.Alerts;

/// <summary>
/// Releases the monthly digests that are due (docs/alerts.md §4): one email per LMNS (and region) per reporting month,
/// when every expected trust's file is in or the submission deadline has passed, whichever is first. Runs inside the
/// caller's transaction after every alert evaluation and from the daily check, so a digest and the states it tells commit
/// together; the <c>alert_digest</c> row and the digest's deterministic id make it go out once.
/// </summary>
public sealed partial class MonthlyDigests(
    ReferenceData reference,
    StoreSettings settings,
    ContactSource contacts,
    NotificationComposer composer,
    TimeProvider time,
    ILogger<MonthlyDigests> logger,
    AlertPolicy? policy = null)
{
    private readonly AlertPolicy _policy = policy ?? AlertPolicy.Default;

    /// <summary>
    /// Whether a notice goes out now (<see cref="NoticeTiming.SendsNow"/>), given the digests already released; everything
    /// else waits for its route's next digest.
    /// </summary>
    public async Task<Func<AlertNotice, bool>> SendsNowAsync(StoreSession store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var released = await store.Digests.LatestReleasedAsync(cancellationToken).ConfigureAwait(false);
        return notice => NoticeTiming.SendsNow(notice, (route, month) => released.TryGetValue(route, out var last) && last >= month);
    }

    /// <summary>Releases every due month, oldest first; returns the digests queued.</summary>
    /// <param name="store">The caller's unit of work.</param>
    /// <param name="through">A month past its deadline to consider though no file came for it (the daily check's month).</param>
    /// <param name="routes">
    /// Only these routes (those whose alerts were just evaluated, so a digest never goes out before its route's alerts are
    /// up to date); null: every route (the daily check).
    /// </param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<IReadOnlyList<Notification>> ReleaseDueAsync(
        StoreSession store, Period? through, IReadOnlySet<AlertRoute>? routes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var now = time.GetUtcNow();
        var released = await store.Digests.LatestReleasedAsync(cancellationToken).ConfigureAwait(false);
        // Read files from the month after the routes' last digests; from the first file ever when a route has had none.
        Period? from = routes is { Count: > 0 } && routes.All(released.ContainsKey)
            ? routes.Min(r => released[r]).AddMonths(1)
            : await store.FirstSubmittedMonthAsync(cancellationToken).ConfigureAwait(false) ?? through;
        if (from is not { } start)
        {
            return [];
        }

        if (settings.FirstPeriod is { } first && first > start)
        {
            start = first;
        }

        var submitted = (await store.SubmittedTrustMonthsAsync(start, cancellationToken).ConfigureAwait(false))
            .Select(s => (s.Trust, s.Period, s.Accepted)).ToList();
        var pending = DigestCalendar.Pending(reference, settings.Regions, submitted, released, settings.DeadlineFor, through);
        var due = DigestSchedule.Due(routes is null ? pending : pending.Where(p => routes.Contains(p.Route)), now);
        if (due.Count == 0)
        {
            return [];
        }

        var directory = await contacts.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        var silences = await store.Alerts.ListSilencesAsync(cancellationToken).ConfigureAwait(false);
        var queued = new List<Notification>();
        foreach (var release in due)
        {
            var digest = release.Sends
                ? await SendAsync(store, release.Month, directory, silences, now, cancellationToken).ConfigureAwait(false)
                : null;
            await store.Digests.RecordAsync(release.Month, digest?.Id, now, cancellationToken).ConfigureAwait(false);
            if (digest is not null)
            {
                queued.Add(digest);
            }
        }

        return queued;
    }

    /// <summary>Queues the month's digest when there is something to tell and someone to tell.</summary>
    private async Task<Notification?> SendAsync(
        StoreSession store, DigestMonth month, ContactDirectory directory, IReadOnlyList<Silence> silences, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var states = await store.Alerts.ListRouteAsync(month.Route, cancellationToken).ConfigureAwait(false);
        var content = MonthlyDigest.Compose(states, silences, now, _policy);
        if (content.Notices.Count == 0)
        {
            return null; // nothing changed since the last digest: no email (the still-firing list rides on the next one)
        }

        var recipients = directory.RecipientsFor(month.Route);
        if (recipients.Count == 0)
        {
            // The states stay untold, so the route's next digest carries these once a contact is configured.
            LogUnroutable(logger, month.Route.ToString(), month.Period.ToString(), content.Notices.Count);
            return null;
        }

        var notification = composer.ForAlerts(AlertGrouping.Digest(month, content, recipients), now);
        await store.AddNotificationAsync(notification, cancellationToken).ConfigureAwait(false);
        await store.ReportPublications.RequestAsync(month.Route, month.Period, now, cancellationToken).ConfigureAwait(false);
        await store.Alerts.SaveToldAsync(content.Told, cancellationToken).ConfigureAwait(false);
        LogReleased(logger, month.Route.ToString(), month.Period.ToString(), content.Notices.Count, content.Continuing.Count);
        return notification;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Digest for {Route}, {Period}: {Changes} change(s), {Continuing} still firing, queued")]
    private static partial void LogReleased(ILogger logger, string route, string period, int changes, int continuing);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Digest for {Route}, {Period} has {Changes} change(s) and nobody to tell: "
            + "no contact for the route and no default contact")]
    private static partial void LogUnroutable(ILogger logger, string route, string period, int changes);
}
