using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Alerts;

/// <summary>
/// "Evaluate the alerts of these organisations from this month on, in this transaction": the one place the after-load step,
/// the after-reject step and <c>pipeline recompute</c> run the alert state machine over detection's stored rows. Reads the
/// rows of every window of the organisations from <c>from</c> to the latest period (the latest window with detection rows,
/// or a later month of theirs whose submission was rejected), builds one evaluation per period, oldest first (a rejected
/// trust-month without an accepted submission adds its <c>data_quality</c> signal and inhibits the trust's equity alerts),
/// and folds them into one run (<see cref="AlertRun.EvaluateRun"/>): one email per recipient group, written with the states
/// and their <c>alert_event</c>s in the caller's transaction. Re-evaluating the same inputs writes nothing new.
/// </summary>
public sealed class AlertEvaluator(
    ReferenceData reference,
    ContactSource contacts,
    NotificationComposer composer,
    TimeProvider time,
    ILogger logger,
    AlertPolicy? policy = null)
{
    public ReferenceData Reference => reference;

    /// <summary>Evaluates and writes; returns what was written, or null when there was nothing to evaluate.</summary>
    public async Task<AlertRunOutcome?> EvaluateAsync(
        StoreTransaction store, IReadOnlyCollection<(Level Level, string OrganisationCode)> organisations, Period from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(organisations);
        var (connection, transaction) = (store.Connection, store.Transaction);
        var units = organisations.Distinct().ToList();
        var trusts = units.Where(u => u.Level == Level.Organisation).Select(u => u.OrganisationCode).ToHashSet(StringComparer.Ordinal);
        var rejected = (await RejectedMonthsAsync(connection, transaction, from, cancellationToken).ConfigureAwait(false))
            .Where(r => trusts.Contains(r.Trust)).ToList();

        var reader = new DetectionRowReader(connection, transaction);
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
            var result = await reader.ReadAsync(units.Select(u => new WindowKey(u.Level, u.OrganisationCode, period)), cancellationToken).ConfigureAwait(false);
            evaluations.Add(AlertInputs.FromDetection(
                result, period, reference, rejected.Where(r => r.Period == period).Select(r => AlertInputs.RejectedSubmission(r.Trust, period, r.Errors))));
        }

        var dialect = SqlDialect.For(store.Engine);
        var alerts = new SqlAlertStore(connection, transaction, dialect);
        var states = await alerts.LoadStatesAsync(units, cancellationToken).ConfigureAwait(false);
        var silences = await alerts.ListSilencesAsync(cancellationToken).ConfigureAwait(false);
        var directory = await contacts.LoadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var outcome = new AlertRun(directory, composer, policy).EvaluateRun(evaluations, states, silences, time.GetUtcNow());
        await AlertWriter.WriteAsync(alerts, connection, transaction, dialect, outcome, logger, cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// Trust-months from <paramref name="from"/> on with a rejected submission and no accepted one (few: a rejection is
    /// usually followed by a corrected file), for the inhibitions and <c>data_quality</c> alerts they raise.
    /// </summary>
    public static async Task<IReadOnlyList<(string Trust, Period Period, int Errors)>> RejectedMonthsAsync(
        DbConnection connection, DbTransaction transaction, Period from, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Trust, string Period, int Errors)>(new CommandDefinition(
            """
            select s.organisation_code, s.reporting_period, max(s.error_count) from submission s
            where s.status = 'rejected' and s.reporting_period >= @from
              and not exists (select 1 from submission a where a.organisation_code = s.organisation_code and a.reporting_period = s.reporting_period and a.status = 'accepted')
            group by s.organisation_code, s.reporting_period
            """,
            new { from = from.ToString() },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Where(r => Period.TryParse(r.Period, out _)).Select(r => (r.Trust, Period.Parse(r.Period), r.Errors))];
    }
}
