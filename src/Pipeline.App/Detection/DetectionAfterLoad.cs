using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Detection;
using Pipeline.Core.Detection;

namespace Pipeline.App.Detection;

/// <summary>
/// The first step inside a load's transaction: refreshes the trust-month's counts (and its LMNS's and region's), then
/// recomputes every window the month touches (<see cref="RecomputeScope.Affected"/>) and the SPC check of later months
/// (docs/ingest-and-storage.md, "Processing one file"). A superseded load changes no current measure, so recomputes nothing.
/// A batch refreshes every trust-month's counts (each LMNS and region sum once), then recomputes the union of the windows its
/// months touch once: the rows a file-by-file run leaves, since every window is evaluated on the final counts either way.
/// </summary>
public sealed class DetectionAfterLoad(DetectionWindows windows) : IAfterLoad
{
    /// <summary>How many organisations' windows a batch recomputes together (their series read at once; evaluated in parallel).</summary>
    public const int OrganisationsAtOnce = 8;

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
        await counts.RefreshTrustMonthAsync(context.Submission, cancellationToken).ConfigureAwait(false);
        var latest = await counts.LatestPeriodAsync(cancellationToken).ConfigureAwait(false) is { } l && l > period ? l : period;
        var affected = RecomputeScope.Affected(windows.Reference, trust, period, latest, options: windows.Engine.Options);
        await windows.RecomputeAsync(context.Store, affected, latest, cancellationToken).ConfigureAwait(false);
    }

    public async Task AfterLoadBatchAsync(AfterLoadBatchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var accepted = context.Accepted;
        if (accepted.Count == 0)
        {
            return;
        }

        var counts = context.Store.Counts(windows.Reference);
        await counts.RefreshTrustMonthsAsync([.. accepted.Select(l => l.Submission)], cancellationToken).ConfigureAwait(false);
        var newest = accepted.Max(l => l.Submission.ReportingPeriod);
        var latest = await counts.LatestPeriodAsync(cancellationToken).ConfigureAwait(false) is { } l && l > newest ? l : newest;
        var affected = accepted
            .SelectMany(a => RecomputeScope.Affected(
                windows.Reference, a.Submission.OrganisationCode, a.Submission.ReportingPeriod, latest, options: windows.Engine.Options))
            .Distinct()
            .GroupBy(w => (w.Level, w.OrganisationCode))
            .ToList();
        // Organisations are recomputed independently, so a few at a time gives the same rows while only their series are in
        // memory (a national batch on years of history would otherwise hold every organisation's whole series at once).
        foreach (var chunk in affected.Chunk(OrganisationsAtOnce))
        {
            await windows.RecomputeAsync(context.Store, [.. chunk.SelectMany(o => o)], latest, cancellationToken).ConfigureAwait(false);
        }
    }
}
