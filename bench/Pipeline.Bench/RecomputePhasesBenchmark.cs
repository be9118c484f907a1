using System.Diagnostics;
using Pipeline.Adapters.Store.Detection;
using Pipeline.App.Configuration;
using Pipeline.App.Detection;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Synthetic;

namespace Pipeline.Bench;

/// <summary>
/// Where the after-load step's time goes, for one new national month on 12 months of history (counts rebuilt, no full
/// recompute): refreshing the counts, reading the three organisations' series, evaluating and writing. Each trust's work
/// runs in its own transaction as in a load; the measures of the new month are bulk-loaded first.
/// </summary>
internal sealed class RecomputePhasesBenchmark : IBenchmark
{
    public string Name => "recompute-phases";

    public string Description => "Detection after-load phases (counts, read, evaluate+write) for one national month on 12 months of history";

    public async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var scenario = new SyntheticScenario { Seed = 7, Start = new Period(2025, 10), Months = 13 };
        var (services, _) = await RecomputeBenchmark.StartWithHistoryAsync(workDirectory, scenario, cancellationToken);
        var reference = services.Reference;
        var newMonth = scenario.Start.AddMonths(12);
        await services.Store.RunInTransactionAsync((tx, ct) => new DetectionCounts(tx, reference).RebuildAsync(scenario.Start, ct), cancellationToken);
        var windows = new DetectionWindows(reference, new DivergenceEngine(reference), time);
        var (refresh, read, recompute, cpu) = (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        var trusts = new SubmissionGenerator(reference).Generate(scenario with { Start = newMonth, Months = 1 }).ToList();
        foreach (var s in trusts)
        {
            await services.Store.RunInTransactionAsync(
                async (tx, ct) =>
                {
                    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                    var counts = new DetectionCounts(tx, reference);
                    var t = Stopwatch.GetTimestamp();
                    await counts.RefreshTrustMonthAsync(s, ct);
                    var latest = await counts.LatestPeriodAsync(ct) ?? newMonth;
                    refresh += Stopwatch.GetElapsedTime(t);
                    var affected = RecomputeScope.Affected(reference, s.OrganisationCode, newMonth, latest);
                    t = Stopwatch.GetTimestamp();
                    _ = await counts.ReadAsync(affected.Select(w => (w.Level, w.OrganisationCode)), latest, ct);
                    read += Stopwatch.GetElapsedTime(t);
                    t = Stopwatch.GetTimestamp();
                    await windows.RecomputeAsync(tx, affected, latest, ct);
                    recompute += Stopwatch.GetElapsedTime(t);
                    cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
                },
                cancellationToken);
        }

        return
        [
            new("trusts", trusts.Count, "files"),
            new("refresh counts + latest", refresh.TotalSeconds, "s"),
            new("read series (3 organisations)", read.TotalSeconds, "s"),
            new("read + evaluate + write", recompute.TotalSeconds, "s"),
            new("CPU time of the phases", cpu.TotalSeconds, "s"),
        ];
    }
}
