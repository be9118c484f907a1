using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Alerts;

/// <summary>
/// The one place alerts are evaluated (after a load, after a rejection, in a recompute): one evaluation per period from
/// <c>from</c> to the latest, oldest first, folded into one run (at most one email per recipient group for what cannot
/// wait), written in the caller's <see cref="StoreSession"/>. Re-evaluating the same inputs writes nothing new
/// (docs/alerts.md §2). Notices that can wait are held for the monthly digest, and the digests that fall due are released
/// afterwards (<see cref="MonthlyDigests"/>).
/// </summary>
public sealed class AlertEvaluator(
    ReferenceData reference,
    ContactSource contacts,
    NotificationComposer composer,
    TimeProvider time,
    MonthlyDigests digests,
    ILogger logger,
    AlertPolicy? policy = null)
{
    public ReferenceData Reference => reference;

    /// <summary>Evaluates and writes; returns what was written, or null when there was nothing to evaluate.</summary>
    public async Task<AlertRunOutcome?> EvaluateAsync(
        StoreSession store, IReadOnlyCollection<(Level Level, string OrganisationCode)> organisations, Period from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(organisations);
        var units = organisations.Distinct().ToList();
        var trusts = units.Where(u => u.Level == Level.Organisation).Select(u => u.OrganisationCode).ToHashSet(StringComparer.Ordinal);
        var rejected = (await store.RejectedMonthsAsync(from, cancellationToken).ConfigureAwait(false))
            .Where(r => trusts.Contains(r.Trust)).ToList();

        var reader = store.DetectionResults;
        var latest = await reader.LatestWindowEndAsync(cancellationToken).ConfigureAwait(false);
        foreach (var month in rejected.Select(r => r.Period).Where(p => latest is null || p > latest))
        {
            latest = month;
        }

        if (units.Count == 0 || latest is not { } last || last < from)
        {
            return null; // detection has produced nothing yet (too few months for a window) and nothing was rejected
        }

        var periods = new List<Period>();
        for (var period = from; period <= last; period = period.AddMonths(1))
        {
            periods.Add(period);
        }

        // One period's rows at a time: only the evaluations (signals, far fewer than rows) are kept for the run.
        var evaluations = new List<AlertEvaluation>(periods.Count);
        foreach (var period in periods)
        {
            var (evaluated, holding) = await reader.ReadForAlertsAsync(
                units.Select(u => new WindowKey(u.Level, u.OrganisationCode, period)), cancellationToken).ConfigureAwait(false);
            evaluations.Add(AlertInputs.FromDetection(
                holding,
                period,
                reference,
                rejected.Where(r => r.Period == period).Select(r => AlertInputs.RejectedSubmission(r.Trust, period, r.Errors)),
                evaluated.Select(w => (w.Level, w.OrganisationCode))));
        }

        var alerts = store.Alerts;
        var states = await alerts.LoadStatesAsync(units, from, cancellationToken).ConfigureAwait(false);
        var silences = await alerts.ListSilencesAsync(cancellationToken).ConfigureAwait(false);
        var directory = await contacts.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        var sendsNow = await digests.SendsNowAsync(store, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var outcome = new AlertRun(directory, composer, policy).EvaluateRun(evaluations, states, silences, now, sendsNow);
        await AlertWriter.WriteAsync(store, outcome, now, logger, cancellationToken).ConfigureAwait(false);
        // Only the routes just evaluated: a recompute or a batch evaluates one recipient group at a time, and another route's
        // digest must wait until its own alerts are up to date.
        var routes = units.SelectMany(u => periods.Select(p => AlertInputs.RouteFor(u.Level, u.OrganisationCode, p, reference)))
            .ToHashSet();
        var released = await digests.ReleaseDueAsync(store, null, routes, cancellationToken).ConfigureAwait(false);
        return outcome with { Notifications = [.. outcome.Notifications, .. released] };
    }
}
