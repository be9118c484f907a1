using System.Diagnostics;
using System.Globalization;
using Pipeline.App.Configuration;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Bench;

/// <summary>
/// A sustained run through the drop poller (what <c>pipeline watch --workers 2</c> runs): 2,000 submissions (every active trust,
/// month after month from 2024-01) dropped in ten waves of 200, each wave polled to completion, with throughput, working set
/// and the GC heap after a full collection sampled per wave. "No growth" is the last three waves' heap against the first three's.
/// Override the count with <c>PIPELINE_BENCH_SUSTAINED_COUNT</c> (a multiple of 10).
/// </summary>
/// <remarks>
/// Started on an empty store, the first waves do less work per file than the last for a reason other than the store's size:
/// windows are not yet twelve months long, and the SPC check starts only once a series has the months it needs (12 for
/// its baseline, 7 for a run). <c>sustained-load-steady</c> therefore first loads two years of history (one batch per
/// month, detection and alerts on), so every wave does the same work and any drift is the store's growth alone.
/// </remarks>
internal class SustainedLoadBenchmark(string name, int historyMonths) : IBenchmark
{
    private const int Waves = 10;

    public SustainedLoadBenchmark()
        : this("sustained-load", 0)
    {
    }

    private static readonly Period Start = new(2024, 1);

    public string Name => name;

    public string Description => historyMonths == 0
        ? "2,000 submissions through the drop poller (2 workers) in 10 waves: throughput, working set and GC heap per wave"
        : $"as sustained-load, after {historyMonths} months of history loaded first (every wave does the same work): drift of the store's growth alone";

    public async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_BENCH_SUSTAINED_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2000;
        var options = new PipelineOptions { DataDirectory = workDirectory };
        options.Drop.MinimumAgeSeconds = 0;
        options.Drop.Workers = 2;
        var services = PipelineServices.Create(options, TimeProvider.System);
        await services.Store.MigrateAsync(cancellationToken);
        for (var period = Start.AddMonths(-historyMonths); period < Start; period = period.AddMonths(1))
        {
            var keys = new List<string>();
            foreach (var trust in services.Reference.TrustsActiveIn(period))
            {
                var key = $"submissions/{trust.Code}/{period}/equity.json";
                using var content = new MemoryStream(SampleSubmissions.ToJson(
                    SampleSubmissions.Typical(trust.Code, period, seed: (period.Year * 1000) + keys.Count, services.Reference)));
                await services.Objects.WriteAsync(key, content, cancellationToken);
                keys.Add(key);
            }

            _ = await services.Processor.ProcessBatchAsync(keys, cancellationToken);
        }

        var queue = Submissions(services, total).GetEnumerator();
        var metrics = new List<Metric>();
        var rates = new List<double>();
        var heaps = new List<double>();
        var workingSets = new List<double>();
        var cpuPerFile = new List<double>();
        var all = Stopwatch.StartNew();
        for (var wave = 1; wave <= Waves; wave++)
        {
            for (var i = 0; i < total / Waves && queue.MoveNext(); i++)
            {
                var s = queue.Current;
                using var content = new MemoryStream(SampleSubmissions.ToJson(s));
                await services.Objects.WriteAsync($"submissions/{s.OrganisationCode}/{s.ReportingPeriod}/equity.json", content, cancellationToken);
            }

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var results = await services.Drop.PollOnceAsync(cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            cpuPerFile.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, results.Count));
            if (results.Any(r => r.Outcome != ProcessingOutcome.Accepted))
            {
                throw new InvalidOperationException($"wave {wave}: " + string.Join("; ", results.Where(r => r.Outcome != ProcessingOutcome.Accepted).Select(r => $"{r.SourceKey} {r.Outcome} {r.Message}")));
            }

            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            rates.Add(results.Count / seconds);
            heaps.Add(GC.GetTotalMemory(forceFullCollection: false) / 1048576.0);
            workingSets.Add(process.WorkingSet64 / 1048576.0);
            metrics.Add(new($"wave {wave,2}: files/s", rates[^1], "files/s"));
            metrics.Add(new($"wave {wave,2}: CPU per file", cpuPerFile[^1], "ms"));
            metrics.Add(new($"wave {wave,2}: GC heap after full GC", heaps[^1], "MB"));
            metrics.Add(new($"wave {wave,2}: working set", workingSets[^1], "MB"));
        }

        var firstHeap = heaps.Take(3).Average();
        var lastHeap = heaps.TakeLast(3).Average();
        var heapGrowth = (lastHeap - firstHeap) / firstHeap * 100;
        // Wave 1 also pays for compiling the code (JIT), so drift is judged from wave 2 on.
        var firstRate = rates.Skip(1).Take(3).Average();
        var lastRate = rates.TakeLast(3).Average();
        metrics.Add(new("submissions processed", total, "files"));
        metrics.Add(new("overall throughput", total / all.Elapsed.TotalSeconds, "files/s"));
        metrics.Add(new("GC heap growth, waves 8–10 vs 1–3", heapGrowth, "%", "≤ 20 %", heapGrowth <= 20));
        metrics.Add(new("working set growth, waves 8–10 vs 1–3", (workingSets.TakeLast(3).Average() - workingSets.Take(3).Average()) / workingSets.Take(3).Average() * 100, "%"));
        metrics.Add(new("throughput change, waves 8–10 vs 2–4", (lastRate - firstRate) / firstRate * 100, "%", "≥ −10 %", lastRate >= firstRate * 0.9));
        // CPU per file does not move with other work on the machine, so it is the steadier measure of drift.
        var cpuFirst = cpuPerFile.Skip(1).Take(3).Average();
        var cpuDrift = (cpuPerFile.TakeLast(3).Average() - cpuFirst) / cpuFirst * 100;
        metrics.Add(new("CPU per file change, waves 8–10 vs 2–4", cpuDrift, "%", "≤ +10 %", cpuDrift <= 10));
        return metrics;
    }

    private static IEnumerable<Submission> Submissions(PipelineServices services, int count)
    {
        var produced = 0;
        for (var period = Start; produced < count; period = period.AddMonths(1))
        {
            foreach (var trust in services.Reference.TrustsActiveIn(period))
            {
                if (produced++ == count)
                {
                    yield break;
                }

                yield return SampleSubmissions.Typical(trust.Code, period, seed: produced, services.Reference);
            }
        }
    }
}

/// <summary><see cref="SustainedLoadBenchmark"/> after two years of history: the drift of the store's growth alone.</summary>
internal sealed class SustainedLoadSteadyBenchmark() : SustainedLoadBenchmark("sustained-load-steady", 24);
