using Pipeline.Adapters.Store;
using Pipeline.App.Detection;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.App.Alerts;

/// <summary>
/// The last step inside a load's (or a rejection's) transaction: evaluates the alerts of what the month touches, from that
/// month to the latest, so alert state and its emails commit with the data (docs/alerts.md §2, §6). A superseded load, or a
/// rejection while an accepted file stays current, changes nothing.
/// </summary>
public sealed class AlertsAfterLoad(AlertEvaluator evaluator) : IAfterLoad, IAfterReject
{
    public async Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Status != SubmissionStatus.Accepted)
        {
            return; // superseded on arrival: the current data did not change
        }

        var trust = context.Submission.OrganisationCode;
        var changed = context.Submission.ReportingPeriod;
        var latest = await context.Store.DetectionResults.LatestWindowEndAsync(cancellationToken).ConfigureAwait(false);
        // RecomputeScope names the organisations (trust, its LMNS and region that month); the state machine continues to the
        // latest period with the stored rows of the later windows, so an alert created by a resubmission sees the months after
        // it (docs/alerts.md §2).
        var organisations = latest is { } last && last >= changed
            ? RecomputeScope.Affected(evaluator.Reference, trust, changed, last).Select(w => (w.Level, w.OrganisationCode)).Distinct().ToList()
            : [(Level.Organisation, trust)];
        await evaluator.EvaluateAsync(context.Store, organisations, changed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A batch of loads (#18): the alerts of every organisation the batch's accepted months touch, evaluated once per changed
    /// month (oldest first, each to the latest period) and recipient group instead of once per file. Every observation is then
    /// taken on the batch's final detection rows, so the alert states are those of loading the files one by one.
    /// </summary>
    public async Task AfterLoadBatchAsync(AfterLoadBatchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var accepted = context.Accepted;
        if (accepted.Count == 0)
        {
            return;
        }

        var latest = await context.Store.DetectionResults.LatestWindowEndAsync(cancellationToken).ConfigureAwait(false);
        foreach (var month in accepted.GroupBy(a => a.Submission.ReportingPeriod).OrderBy(g => g.Key))
        {
            var changed = month.Key;
            var organisations = month
                .Select(a => a.Submission.OrganisationCode)
                .SelectMany(trust => latest is { } last && last >= changed
                    ? RecomputeScope.Affected(evaluator.Reference, trust, changed, last).Select(w => (w.Level, w.OrganisationCode))
                    : [(Level.Organisation, trust)])
                .Distinct()
                .ToList();
            // One recipient group at a time, as a recompute does: the same states, one email per group, and only that
            // group's alert history in memory (a national batch on years of history would otherwise hold all of it at once).
            foreach (var (_, members) in DetectionRecompute.RouteGroups(evaluator.Reference, organisations, latest ?? changed))
            {
                await evaluator.EvaluateAsync(context.Store, members, changed, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task AfterRejectAsync(AfterRejectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HasAcceptedSubmission)
        {
            return; // the accepted data stay current: nothing about the month changed
        }

        await evaluator.EvaluateAsync(context.Store, [(Level.Organisation, context.OrganisationCode)], context.ReportingPeriod, cancellationToken).ConfigureAwait(false);
    }
}
