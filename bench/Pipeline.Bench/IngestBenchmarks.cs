using Pipeline.App.Detection;
using Pipeline.Core.Detection;
using System.Diagnostics;
using Pipeline.App.Configuration;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Bench;

/// <summary>
/// End-to-end ingest on the embedded default (folder object store, SQLite, Parquet lake): drop → hash → validate → receipts →
/// lake → SQL. Submissions are seeded samples: 18 indicators × (total + 18 ethnic categories + 11 IMD deciles) = 540 rows.
/// </summary>
internal abstract class IngestBenchmark : IBenchmark
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    public abstract Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken);

    protected static async Task<PipelineServices> StartAsync(
        string workDirectory, CancellationToken cancellationToken, FaultHook? stepHook = null, bool deferDetection = false)
    {
        var options = new PipelineOptions { DataDirectory = workDirectory };
        var services = PipelineServices.Create(
            options, TimeProvider.System, new PipelineServiceOverrides { FaultHook = stepHook, DeferDetection = deferDetection });
        await services.Store.MigrateAsync(cancellationToken);
        return services;
    }

    /// <summary>Drops and processes one submission; throws unless it was accepted (a benchmark of failures measures nothing).</summary>
    protected static async Task IngestAsync(PipelineServices services, Submission submission, string fileName, CancellationToken cancellationToken)
    {
        var key = $"submissions/{submission.OrganisationCode}/{submission.ReportingPeriod}/{fileName}";
        using (var content = new MemoryStream(SampleSubmissions.ToJson(submission)))
        {
            await services.Objects.WriteAsync(key, content, cancellationToken);
        }

        var result = await services.Processor.ProcessAsync(key, cancellationToken);
        if (result.Outcome != ProcessingOutcome.Accepted)
        {
            throw new InvalidOperationException($"{key} was {result.Outcome}: {result.Message}");
        }
    }

    protected static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>
    /// This process's CPU time (user + system) per submission: unlike wall-clock time it does not
    /// grow when other processes share the machine, so it says what an unshared core would take.
    /// </summary>
    protected static Metric CpuPerSubmission(TimeSpan cpuBefore, int submissions) =>
        new("CPU time per submission", (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / submissions, "ms");

    protected static async Task<TimeSpan> IngestMonthsAsync(PipelineServices services, Period first, int months, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var period = first; period < first.AddMonths(months); period = period.AddMonths(1))
        {
            var seed = period.Year * 100 + period.Month;
            foreach (var trust in services.Reference.TrustsActiveIn(period))
            {
                await IngestAsync(services, SampleSubmissions.Typical(trust.Code, period, seed++, services.Reference), "equity.json", cancellationToken);
            }
        }

        return watch.Elapsed;
    }
}

internal sealed class IngestTypicalBenchmark : IngestBenchmark
{
    private const int Warmup = 10;
    private const int Measured = 50;

    public override string Name => "ingest-typical";

    public override string Description => "One typical submission (540 rows) end to end, warm, on SQLite: median of 50";

    public override async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        // The processor's step hook timestamps each step, so the total splits into where the time goes.
        var stepTimes = new Dictionary<ProcessingStep, List<double>>();
        var clock = new Stopwatch();
        var services = await StartAsync(workDirectory, cancellationToken, (step, _) =>
        {
            (stepTimes.TryGetValue(step, out var list) ? list : stepTimes[step] = []).Add(clock.Elapsed.TotalMilliseconds);
            return Task.CompletedTask;
        });
        var period = new Period(2026, 10);
        var times = new List<double>();
        for (var i = 0; i < Warmup + Measured; i++)
        {
            // Each run is a resubmission of R0A's month, so every run also supersedes the previous one (the heavier path).
            var submission = SampleSubmissions.Typical("R0A", period, seed: i, services.Reference);
            if (i == Warmup)
            {
                stepTimes.Clear();
            }

            clock.Restart();
            await IngestAsync(services, submission, $"equity-{i}.json", cancellationToken);
            if (i >= Warmup)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        var median = Median(times);
        double Step(ProcessingStep from, ProcessingStep to) => Median(stepTimes[to].Zip(stepTimes[from], (b, a) => b - a).ToList());
        return
        [
            new("median per submission", median, "ms", "≤ 40 ms", median <= 40),
            new("95th percentile", times.Order().ElementAt((int)(times.Count * 0.95)), "ms"),
            new("  of which receive (hash, row)", Median(stepTimes[ProcessingStep.Received]), "ms"),
            new("  of which read + validate", Step(ProcessingStep.Received, ProcessingStep.Validated), "ms"),
            new("  of which receipts", Step(ProcessingStep.Validated, ProcessingStep.ReceiptWritten), "ms"),
            new("  of which lake (Parquet)", Step(ProcessingStep.ReceiptWritten, ProcessingStep.LakeWritten), "ms"),
            new("  of which SQL load", Step(ProcessingStep.LakeWritten, ProcessingStep.Loaded), "ms"),
        ];
    }
}

internal sealed class IngestNationalMonthBenchmark : IngestBenchmark
{
    public override string Name => "ingest-national-month";

    public override string Description => "Every active trust's submission for one month, one after another, on SQLite";

    public override async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var services = await StartAsync(workDirectory, cancellationToken);
        var period = new Period(2026, 10);
        var trusts = services.Reference.TrustsActiveIn(period).Count();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var elapsed = await IngestMonthsAsync(services, period, 1, cancellationToken);
        return
        [
            new("trusts", trusts, "files"),
            CpuPerSubmission(cpu, trusts),
            new("national month", elapsed.TotalSeconds, "s", "≤ 15 s", elapsed.TotalSeconds <= 15),
        ];
    }
}

internal sealed class IngestBackfillBenchmark : IngestBenchmark
{
    private const int Months = 36;

    public override string Name => "ingest-backfill-36";

    public override string Description =>
        "36-month national backfill (every active trust, every month) as `ingest --backfill` runs it: batched loads without detection, then one recompute; SQLite; ≤ 60 s, peak ≤ 300 MB";

    public override async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var services = await StartAsync(workDirectory, cancellationToken, deferDetection: true);
        var first = new Period(2023, 11);
        var keys = new List<string>();
        for (var period = first; period < first.AddMonths(Months); period = period.AddMonths(1))
        {
            var seed = (period.Year * 100) + period.Month;
            foreach (var trust in services.Reference.TrustsActiveIn(period))
            {
                var key = $"submissions/{trust.Code}/{period}/equity.json";
                using var content = new MemoryStream(SampleSubmissions.ToJson(SampleSubmissions.Typical(trust.Code, period, seed++, services.Reference)));
                await services.Objects.WriteAsync(key, content, cancellationToken);
                keys.Add(key);
            }
        }

        // As `pipeline ingest --backfill <folder>` runs it: every file in batches (one transaction per batch, detection deferred).
        // Files prepared at once: the CLI's default when Pipeline:Drop:Workers is not set; PIPELINE_BENCH_WORKERS overrides it
        // (to compare settings on one build).
        var workers = int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_BENCH_WORKERS"), out var w) && w is >= 1 and <= 64 ? w
            : SubmissionProcessor.DefaultIngestWorkers;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var loadingWatch = Stopwatch.StartNew();
        var results = await services.Processor.ProcessBatchAsync(keys, cancellationToken, workers);
        if (results.FirstOrDefault(r => r.Result?.Outcome != ProcessingOutcome.Accepted) is { } bad)
        {
            throw new InvalidOperationException($"{bad.Key} was {bad.Result?.Outcome}: {bad.Result?.Message ?? bad.Error?.Message}");
        }

        var loading = loadingWatch.Elapsed;
        var loadingCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var peakAfterLoading = PeakMemory.ReadMegabytes();
        var watch = Stopwatch.StartNew();
        var windows = new DetectionWindows(services.Reference, new DivergenceEngine(services.Reference), TimeProvider.System);
        // As `ingest --backfill` does: detection, then the alerts over the same months (one default contact, so every
        // recipient group's email is composed as in a real run).
        await File.WriteAllTextAsync(Path.Combine(workDirectory, "contacts.csv"), "scope,code,name,email\ndefault,*,Inbox,inbox@nhs.example\n", cancellationToken);
        var detectionDone = TimeSpan.Zero;
        var summary = await new DetectionRecompute(services.Store, windows, TimeProvider.System, services.Alerts).RunAsync(
            null,
            new Progress<RecomputeProgress>(p => detectionDone = p.Done == p.Total ? watch.Elapsed : detectionDone),
            cancellationToken);
        var recompute = watch.Elapsed;
        var elapsed = loading + recompute;
        var files = Enumerable.Range(0, Months).Sum(m => services.Reference.TrustsActiveIn(first.AddMonths(m)).Count());
        var peak = PeakMemory.ReadMegabytes();
        return
        [
            new("submissions", files, "files"),
            new("workers (files prepared at once)", workers, ""),
            CpuPerSubmission(cpu, files),
            new("loading in batches (detection deferred)", loading.TotalSeconds, "s"),
            new("  loading, CPU", loadingCpu.TotalSeconds, "s"),
            new("  peak memory after loading", peakAfterLoading, "MB"),
            new("one recompute of every window, detection + alerts", recompute.TotalSeconds, "s"),
            new("  of which detection (about)", detectionDone.TotalSeconds, "s"),
            new("  alert events / emails queued", summary.AlertEvents, $"events / {summary.AlertNotifications} emails"),
            new("36-month backfill", elapsed.TotalSeconds, "s", "≤ 60 s", elapsed.TotalSeconds <= 60),
            new("peak memory (before the driver's)", peak, "MB", "≤ 300 MB", peak <= 300),
        ];
    }
}

/// <summary>
/// The 36-month national backfill as batches (#18): each month's files dropped together and processed as one batch by the
/// drop poller (what `pipeline watch` or `pipeline ingest` does with them), detection and alerts ON in every batch, so no
/// recompute afterwards. Per-month throughput is reported for its drift.
/// </summary>
internal sealed class IngestBackfillBatchedBenchmark : IngestBenchmark
{
    // PIPELINE_BENCH_BACKFILL_MONTHS shortens it (for a quick look at the trend); 36 by default.
    private static readonly int Months =
        int.TryParse(Environment.GetEnvironmentVariable("PIPELINE_BENCH_BACKFILL_MONTHS"), out var m) && m is > 3 and <= 36 ? m : 36;

    public override string Name => "ingest-backfill-36-batched";

    public override string Description =>
        "36-month national backfill, one batch per month with detection and alerts in each (no recompute after); SQLite; target ≤ 60 s";

    public override async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var services = await StartAsync(workDirectory, cancellationToken);
        var first = new Period(2023, 11);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var all = Stopwatch.StartNew();
        var perMonth = new List<double>();
        var files = 0;
        for (var period = first; period < first.AddMonths(Months); period = period.AddMonths(1))
        {
            var seed = period.Year * 100 + period.Month;
            var keys = new List<string>();
            foreach (var trust in services.Reference.TrustsActiveIn(period))
            {
                var key = $"submissions/{trust.Code}/{period}/equity.json";
                var submission = SampleSubmissions.Typical(trust.Code, period, seed++, services.Reference);
                using var content = new MemoryStream(SampleSubmissions.ToJson(submission));
                await services.Objects.WriteAsync(key, content, cancellationToken);
                keys.Add(key);
            }

            var month = Stopwatch.StartNew();
            var results = await services.Processor.ProcessBatchAsync(keys, cancellationToken);
            perMonth.Add(month.Elapsed.TotalSeconds);
            files += keys.Count;
            if (results.FirstOrDefault(r => r.Result?.Outcome != ProcessingOutcome.Accepted) is { } bad)
            {
                throw new InvalidOperationException($"{bad.Key} was {bad.Result?.Outcome}: {bad.Result?.Message ?? bad.Error?.Message}");
            }
        }

        var elapsed = all.Elapsed.TotalSeconds;
        var peak = PeakMemory.ReadMegabytes();
        return
        [
            new("submissions", files, "files"),
            CpuPerSubmission(cpu, files),
            new("first month's batch", perMonth[0], "s"),
            new("months 1–3, mean batch", perMonth.Take(3).Average(), "s"),
            new("last 3 months, mean batch", perMonth.TakeLast(3).Average(), "s"),
            new($"{Months}-month backfill, batched", elapsed, "s", "≤ 60 s (36 months)", elapsed <= 60),
            new("peak memory (before the driver's)", peak, "MB", "≤ 300 MB", peak <= 300),
        ];
    }
}
