using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Alerts;

/// <summary>
/// Step 7 of the processor, inside the load's transaction and after detection: reads the detection rows of every window the
/// loaded month touches (<see cref="RecomputeScope"/>), evaluates them oldest first through the alert state machine with the
/// stored states and silences, and writes the changed states, their <c>alert_event</c>s and one outbox row per recipient
/// group, so state and notification commit or roll back together. Re-processing the same inputs writes nothing new.
/// </summary>
public sealed partial class AlertsAfterLoad(
    ReferenceData reference,
    ContactsFile contacts,
    Notifications.NotificationComposer composer,
    TimeProvider time,
    ILogger<AlertsAfterLoad> logger,
    AlertPolicy? policy = null) : IAfterLoad
{
    public async Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Status != SubmissionStatus.Accepted)
        {
            return; // superseded on arrival: the current data did not change
        }

        var connection = context.Connection;
        var latestText = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select max(period_end) from group_comparison", transaction: context.Transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (!Period.TryParse(latestText, out var latest))
        {
            return; // detection has produced nothing yet (too few months for a window)
        }

        var trust = context.Submission.OrganisationCode;
        var changed = context.Submission.ReportingPeriod;
        // RecomputeScope names the organisations (trust, its LMNS and region that month) and the windows detection
        // recomputed; the state machine continues to the latest period with the stored rows of the later windows, so an
        // alert created by a resubmission sees the months after it (docs/alerts.md §2).
        var organisations = RecomputeScope.Affected(reference, trust, changed, latest).Select(w => (w.Level, w.OrganisationCode)).Distinct().ToList();
        var windows = new List<WindowKey>();
        for (var period = changed; period <= latest; period = period.AddMonths(1))
        {
            windows.AddRange(organisations.Select(o => new WindowKey(o.Level, o.OrganisationCode, period)));
        }

        if (windows.Count == 0)
        {
            return;
        }

        var result = await new DetectionRowReader(connection, context.Transaction).ReadAsync(windows, cancellationToken).ConfigureAwait(false);
        var rejected = await RejectedMonthsAsync(connection, context.Transaction, trust, cancellationToken).ConfigureAwait(false);
        var evaluations = windows.Select(w => w.PeriodEnd).Distinct().Order()
            .Select(p => AlertInputs.FromDetection(result, p, reference, rejected.Where(r => r.Period == p).Select(r => AlertInputs.RejectedSubmission(trust, p, r.Errors))))
            .ToList();

        var alerts = new SqlAlertStore(connection, context.Transaction, SqlDialect.For(context.Engine));
        var states = await alerts.LoadStatesAsync(windows.Select(w => (w.Level, w.OrganisationCode)), cancellationToken).ConfigureAwait(false);
        var silences = await alerts.ListSilencesAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var outcome = new AlertRun(contacts.Load(), composer, policy).EvaluateRun(evaluations, states, silences, now);
        await AlertWriter.WriteAsync(alerts, connection, context.Transaction, SqlDialect.For(context.Engine), outcome, logger, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<(Period Period, int Errors)>> RejectedMonthsAsync(
        DbConnection connection, DbTransaction transaction, string trust, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Period, int Errors)>(new CommandDefinition(
            """
            select s.reporting_period, max(s.error_count) from submission s
            where s.organisation_code = @trust and s.status = 'rejected'
              and not exists (select 1 from submission a where a.organisation_code = s.organisation_code and a.reporting_period = s.reporting_period and a.status = 'accepted')
            group by s.reporting_period
            """,
            new { trust },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Where(r => Period.TryParse(r.Period, out _)).Select(r => (Period.Parse(r.Period), r.Errors))];
    }
}
