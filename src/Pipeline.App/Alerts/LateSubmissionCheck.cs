using Dapper;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Alerts;

/// <summary>
/// The daily late/missing check (alerts.md "Delivery"): once the deadline of a reporting month has passed, every trust
/// active that month without an accepted submission holds a <c>late_submission</c> alert, and each LMNS lead gets one
/// email listing them (new, still late, or arrived since). Runs through the same state machine and outbox as the
/// equity alerts, in one transaction, so running it again the same day writes nothing new.
/// </summary>
/// <remarks>
/// Lateness is a monthly fact, so its policy differs from the equity rules: one month with the file in resolves it, and a
/// trust still missing the next month is listed again in that month's email (repeat interval one reporting period).
/// </remarks>
public sealed partial class LateSubmissionCheck(
    SqlPipelineStore store,
    StoreSettings settings,
    ReferenceData reference,
    ContactSource contacts,
    NotificationComposer composer,
    TimeProvider time,
    ILogger<LateSubmissionCheck> logger) : ILateSubmissionCheck
{
    public static readonly AlertPolicy Policy = new() { ResolveAfter = 1, RepeatIntervalMonths = 1 };

    public async Task RunAsync(CancellationToken cancellationToken) =>
        await CheckAsync(null, cancellationToken).ConfigureAwait(false);

    /// <summary>The latest month whose deadline has passed at <paramref name="now"/>.</summary>
    public Period DuePeriod(DateTimeOffset now)
    {
        var period = Period.FromDateTimeOffset(now).AddMonths(-1);
        return settings.DeadlineFor(period) < now ? period : period.AddMonths(-1);
    }

    /// <summary>Checks <paramref name="period"/> (default: the latest month past its deadline); returns what was written.</summary>
    public async Task<AlertRunOutcome> CheckAsync(Period? period, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var checkedPeriod = period ?? DuePeriod(now);
        var deadline = settings.DeadlineFor(checkedPeriod);
        var connection = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var submitted = (await connection.QueryAsync<string>(new CommandDefinition(
                    "select distinct organisation_code from submission where reporting_period = @period and status = 'accepted'",
                    new { period = checkedPeriod.ToString() },
                    transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                var evaluation = AlertInputs.LateSubmissions(reference, checkedPeriod, submitted, DateOnly.FromDateTime(deadline.UtcDateTime));
                var alerts = new SqlAlertStore(connection, transaction, store.Dialect);
                var states = await alerts.LoadStatesAsync(evaluation.Evaluated.Select(u => (u.Level, u.OrganisationCode)), cancellationToken).ConfigureAwait(false);
                var silences = await alerts.ListSilencesAsync(cancellationToken).ConfigureAwait(false);
                var directory = await contacts.LoadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
                var outcome = new AlertRun(directory, composer, Policy).EvaluateRun([evaluation], states, silences, now);
                await AlertWriter.WriteAsync(alerts, connection, transaction, store.Dialect, outcome, logger, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                LogChecked(checkedPeriod.ToString(), evaluation.Signals.Count, outcome.Notifications.Count);
                return outcome;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Late-submission check for {Period}: {Late} trust(s) without an accepted file, {Emails} email(s) queued")]
    private partial void LogChecked(string period, int late, int emails);
}
