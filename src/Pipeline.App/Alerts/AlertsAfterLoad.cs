using Pipeline.Adapters.Store;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.App.Alerts;

/// <summary>
/// Step 7 of the processor, inside the load's transaction and after detection: evaluates, oldest first, the alerts of the
/// organisations the loaded month touches (<see cref="RecomputeScope"/>: the trust, its LMNS and region that month) from that
/// month to the latest period, and writes the changed states, their <c>alert_event</c>s and one outbox row per recipient
/// group (<see cref="AlertEvaluator"/>), so state and notification commit or roll back together.
/// <para>
/// The same step runs inside the transaction that records a rejection: when the trust has no accepted submission for the
/// month, the trust's alerts are evaluated from that month on, so its <c>data_quality</c> alert says the month was rejected
/// and its equity alerts for that month are withheld. A rejected resubmission while an accepted version exists changes
/// nothing. Re-processing the same inputs writes nothing new.
/// </para>
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
        var latest = await new DetectionRowReader(context.Connection, context.Transaction).LatestWindowEndAsync(cancellationToken).ConfigureAwait(false);
        // RecomputeScope names the organisations (trust, its LMNS and region that month); the state machine continues to the
        // latest period with the stored rows of the later windows, so an alert created by a resubmission sees the months after
        // it (docs/alerts.md §2).
        var organisations = latest is { } last && last >= changed
            ? RecomputeScope.Affected(evaluator.Reference, trust, changed, last).Select(w => (w.Level, w.OrganisationCode)).Distinct().ToList()
            : [(Level.Organisation, trust)];
        await evaluator.EvaluateAsync(context.Store, organisations, changed, cancellationToken).ConfigureAwait(false);
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
