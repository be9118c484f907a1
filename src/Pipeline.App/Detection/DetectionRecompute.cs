using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Detection;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.App.Detection;

/// <summary>Where a full recompute is: the organisations done out of all, and the last one finished.</summary>
public sealed record RecomputeProgress(int Done, int Total, Level Level, string OrganisationCode, int Rows);

/// <summary>What a full recompute did.</summary>
public sealed record RecomputeSummary(Period? From, int Months, int Organisations, int Comparisons, int Gradients, int Findings);

/// <summary>
/// <c>pipeline recompute</c>: rebuilds the broad-group counts from the current measures, then every window ending in the
/// given month or later, one organisation (trust, LMNS, region) per transaction so memory stays bounded to one series set
/// and loads can interleave. Uses the same evaluation as the after-load step (<see cref="DetectionWindows"/>), so on the
/// same measures it gives the same rows.
/// </summary>
public sealed class DetectionRecompute(IPipelineStore store, DetectionWindows windows, TimeProvider time)
{
    /// <param name="from">The first window end to recompute; null for every month.</param>
    public async Task<RecomputeSummary> RunAsync(Period? from, IProgress<RecomputeProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var start = from ?? new Period(1, 1);
        IReadOnlyList<Period> months = [];
        IReadOnlyList<(Level Level, string OrganisationCode)> organisations = [];
        Period? latest = null;
        await store.RunInTransactionAsync(
            async (tx, ct) =>
            {
                var counts = new DetectionCounts(tx, windows.Reference);
                months = await counts.RebuildAsync(start, ct).ConfigureAwait(false);
                organisations = await counts.OrganisationsAsync(start, ct).ConfigureAwait(false);
                latest = await counts.LatestPeriodAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        var (comparisons, gradients, findings) = (0, 0, 0);
        for (var i = 0; i < organisations.Count && latest is { } last; i++)
        {
            var (level, code) = organisations[i];
            var rows = 0;
            await store.RunInTransactionAsync(
                async (tx, ct) =>
                {
                    var series = await new DetectionCounts(tx, windows.Reference).ReadAsync([(level, code)], last, ct).ConfigureAwait(false);
                    var result = windows.EvaluateFrom(series, level, code, start);
                    var writer = new DetectionRows(tx, time.GetUtcNow());
                    await writer.DeleteFromAsync(level, code, start, ct).ConfigureAwait(false);
                    await writer.InsertAsync(result, ct).ConfigureAwait(false);
                    comparisons += result.Comparisons.Count;
                    gradients += result.Gradients.Count;
                    findings += result.DataQuality.Count;
                    rows = result.Comparisons.Count + result.Gradients.Count + result.DataQuality.Count;
                },
                cancellationToken).ConfigureAwait(false);
            progress?.Report(new RecomputeProgress(i + 1, organisations.Count, level, code, rows));
        }

        return new RecomputeSummary(from, months.Count, organisations.Count, comparisons, gradients, findings);
    }
}
