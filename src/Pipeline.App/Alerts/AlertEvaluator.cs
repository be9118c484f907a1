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
        var inputs = await ReadInputsAsync(store, organisations, from, cancellationToken).ConfigureAwait(false);
        return inputs is null ? null : await EvaluateAsync(store, inputs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The run's evaluations, one per period from <paramref name="from"/> to the latest, out of detection's stored rows and the
    /// rejected months: reads only, so a recompute reads the next recipient group's on a read-only connection while the
    /// current one's decisions are written (#18). Null when there is nothing to evaluate.
    /// </summary>
    public async Task<AlertRunInputs?> ReadInputsAsync(
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

        return new AlertRunInputs(units, from, periods, evaluations);
    }

    /// <summary>
    /// Decides and writes the run <paramref name="inputs"/> describe, in the caller's write transaction: the alert states,
    /// silences, contacts and released digests are read here, so the decisions rest on what the transaction sees.
    /// </summary>
    public async Task<AlertRunOutcome> EvaluateAsync(StoreSession store, AlertRunInputs inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(inputs);
        var alerts = store.Alerts;
        var states = await alerts.LoadStatesAsync(inputs.Units, inputs.From, cancellationToken).ConfigureAwait(false);
        var silences = await alerts.ListSilencesAsync(cancellationToken).ConfigureAwait(false);
        var directory = await contacts.LoadAsync(store, cancellationToken).ConfigureAwait(false);
        var sendsNow = await digests.SendsNowAsync(store, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var outcome = new AlertRun(directory, composer, policy).EvaluateRun(inputs.Evaluations, states, silences, now, sendsNow);
        await AlertWriter.WriteAsync(store, outcome, now, logger, cancellationToken).ConfigureAwait(false);
        // Only the routes just evaluated: a recompute or a batch evaluates one recipient group at a time, and another route's
        // digest must wait until its own alerts are up to date.
        var routes = inputs.Units.SelectMany(u => inputs.Periods.Select(p => AlertInputs.RouteFor(u.Level, u.OrganisationCode, p, reference)))
            .ToHashSet();
        var released = await digests.ReleaseDueAsync(store, null, routes, cancellationToken).ConfigureAwait(false);
        return outcome with { Notifications = [.. outcome.Notifications, .. released] };
    }
}

/// <summary>What an alert run evaluates: its organisations, its first period, and one evaluation per period (oldest first).</summary>
public sealed record AlertRunInputs(
    IReadOnlyList<(Level Level, string OrganisationCode)> Units,
    Period From,
    IReadOnlyList<Period> Periods,
    IReadOnlyList<AlertEvaluation> Evaluations);
