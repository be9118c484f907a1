using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Alerts;

/// <summary>
/// The daily late/missing check (docs/alerts.md §6): after a month's deadline, each trust without an accepted file holds a
/// <c>late_submission</c> alert and each LMNS lead gets one email listing them. Its policy is monthly: one month with the file
/// in resolves it, and a trust still missing next month is listed again. Running it twice the same day writes nothing new.
/// </summary>
public sealed partial class LateSubmissionCheck(
    IPipelineStore store,
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
        var (outcome, late) = await store.WriteAsync(
            async (session, ct) =>
            {
                var submitted = await session.TrustsWithAcceptedSubmissionAsync(checkedPeriod, ct).ConfigureAwait(false);
                var evaluation = AlertInputs.LateSubmissions(reference, checkedPeriod, submitted, DateOnly.FromDateTime(deadline.UtcDateTime));
                var states = await session.Alerts.LoadStatesAsync(evaluation.Evaluated.Select(u => (u.Level, u.OrganisationCode)), ct).ConfigureAwait(false);
                var silences = await session.Alerts.ListSilencesAsync(ct).ConfigureAwait(false);
                var directory = await contacts.LoadAsync(session, ct).ConfigureAwait(false);
                var outcome = new AlertRun(directory, composer, Policy).EvaluateRun([evaluation], states, silences, now);
                await AlertWriter.WriteAsync(session, outcome, logger, ct).ConfigureAwait(false);
                return (outcome, evaluation.Signals.Count);
            },
            cancellationToken).ConfigureAwait(false);
        LogChecked(checkedPeriod.ToString(), late, outcome.Notifications.Count);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Late-submission check for {Period}: {Late} trust(s) without an accepted file, {Emails} email(s) queued")]
    private partial void LogChecked(string period, int late, int emails);
}
