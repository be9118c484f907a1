using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Detection;
using Pipeline.Core.Detection;

namespace Pipeline.App.Detection;

/// <summary>
/// The first step inside a load's transaction: refreshes the trust-month's counts (and its LMNS's and region's), then
/// recomputes every window the month touches (<see cref="RecomputeScope.Affected"/>) and the SPC check of later months
/// (docs/ingest-and-storage.md, "Processing one file"). A superseded load changes no current measure, so recomputes nothing.
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
