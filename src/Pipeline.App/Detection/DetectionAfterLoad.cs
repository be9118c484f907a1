using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Detection;
using Pipeline.Core.Detection;

namespace Pipeline.App.Detection;

/// <summary>
/// Step 6 of the processor (docs/ingest-and-storage.md, "Processing one file"): after a submission's measures are loaded, inside the same transaction,
/// refreshes the trust-month's broad-group counts (and its LMNS's and region's for that month), then recomputes what the
/// month touches (<see cref="RecomputeScope.Affected"/>: the trust, its LMNS and region that month, every window containing
/// the month) plus the SPC check of their later months. "Latest evaluated period" is the latest month of any current
/// submission (at least the loaded month): windows never end after it. A submission stored as superseded (a later-received
/// one is current) changes no current measure, so it recomputes nothing.
/// </summary>
public sealed class DetectionAfterLoad(DetectionWindows windows) : IAfterLoad
{
    public async Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Status != SubmissionStatus.Accepted)
        {
            return;
        }

        var trust = context.Submission.OrganisationCode;
        var period = context.Submission.ReportingPeriod;
        var counts = context.Store.Counts(windows.Reference);
        await counts.RefreshTrustMonthAsync(context.SubmissionId, trust, period, cancellationToken).ConfigureAwait(false);
        var latest = await counts.LatestPeriodAsync(cancellationToken).ConfigureAwait(false) is { } l && l > period ? l : period;
        var affected = RecomputeScope.Affected(windows.Reference, trust, period, latest, options: windows.Engine.Options);
        await windows.RecomputeAsync(context.Store, affected, latest, cancellationToken).ConfigureAwait(false);
    }
}
