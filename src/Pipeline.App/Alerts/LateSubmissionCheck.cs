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
    MonthlyDigests digests,
    ILogger<LateSubmissionCheck> logger) : ILateSubmissionCheck
{
    public static readonly AlertPolicy Policy = AlertPolicy.LateSubmissions;

    public async Task RunAsync(CancellationToken cancellationToken) =>
        await CheckAsync(null, cancellationToken).ConfigureAwait(false);

    /// <summary>The instant <paramref name="period"/>'s submissions are due (end of the configured deadline day, UTC).</summary>
    public DateTimeOffset DeadlineFor(Period period) => settings.DeadlineFor(period);

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
                var regions = await ServedRegionsAsync(session, checkedPeriod, ct).ConfigureAwait(false);
                var evaluation = AlertInputs.LateSubmissions(
                    reference, checkedPeriod, submitted, DateOnly.FromDateTime(deadline.UtcDateTime), regions);
                var states = await session.Alerts.LoadStatesAsync(
                    evaluation.Evaluated.Select(u => (u.Level, u.OrganisationCode)), checkedPeriod, ct).ConfigureAwait(false);
                var silences = await session.Alerts.ListSilencesAsync(ct).ConfigureAwait(false);
                var directory = await contacts.LoadAsync(session, ct).ConfigureAwait(false);
                var sendsNow = await digests.SendsNowAsync(session, ct).ConfigureAwait(false);
                var outcome = new AlertRun(directory, composer, Policy).EvaluateRun([evaluation], states, silences, now, sendsNow);
                await AlertWriter.WriteAsync(session, outcome, now, logger, ct).ConfigureAwait(false);
                // The deadline has passed: this month's digests, with the missing trusts in them, fall due now.
                var released = await digests.ReleaseDueAsync(session, checkedPeriod, null, ct).ConfigureAwait(false);
                return (outcome with { Notifications = [.. outcome.Notifications, .. released] }, evaluation.Signals.Count);
            },
            cancellationToken).ConfigureAwait(false);
        LogChecked(checkedPeriod.ToString(), late, outcome.Notifications.Count);
        return outcome;
    }

    /// <summary>
    /// The deployment's regions (<c>Pipeline:Submissions:Regions</c>), else those of the trusts that sent a file in the year
    /// before; none yet: every region.
    /// </summary>
    private async Task<IReadOnlyCollection<string>> ServedRegionsAsync(
        StoreSession session, Period period, CancellationToken cancellationToken)
    {
        if (settings.Regions.Count > 0)
        {
            return settings.Regions;
        }

        var recent = await session.SubmittedTrustMonthsAsync(period.AddMonths(-12), cancellationToken).ConfigureAwait(false);
        return recent.Select(s => reference.RegionOf(s.Trust, s.Period)).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Late-submission check for {Period}: {Late} trust(s) without an accepted file, {Emails} email(s) queued")]
    private partial void LogChecked(string period, int late, int emails);
}
