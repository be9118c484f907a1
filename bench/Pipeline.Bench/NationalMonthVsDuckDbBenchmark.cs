using System.Globalization;
using Pipeline.Adapters.Store;
using System.Diagnostics;
using DuckDB.NET.Data;
using Pipeline.App.Configuration;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Writing;
using Pipeline.Tests.Shared;

namespace Pipeline.Bench;

/// <summary>
/// One national month (every active trust's 540-row CSV) through the whole pipeline into a fresh data directory (validation,
/// receipts, Parquet, SQL, detection, alert decisions), beside DuckDB converting the same CSVs to one Parquet file, in the
/// same run, so the ratio is of like with like on this machine. The pipeline's time is split by processing step (the
/// processor's step hook), with CPU beside wall time, for docs/performance.md.
/// </summary>
internal sealed class NationalMonthVsDuckDbBenchmark : IBenchmark
{
    private static readonly Period Month = new(2026, 10);

    public string Name => "national-month-vs-duckdb";

    public string Description =>
        "A national month of CSVs: the whole pipeline vs DuckDB converting them to Parquet (one run, ratio)";

    public async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var drop = Directory.CreateDirectory(Path.Combine(workDirectory, "csv")).FullName;
        var reference = Core.Reference.ReferenceData.Embedded;
        var seed = 1;
        var files = new List<string>();
        foreach (var trust in reference.TrustsActiveIn(Month))
        {
            var folder = Directory.CreateDirectory(Path.Combine(drop, trust.Code, Month.ToString())).FullName;
            var path = Path.Combine(folder, "equity.csv");
            await using (var file = File.Create(path))
            {
                var submission = SampleSubmissions.Typical(trust.Code, Month, seed++, reference);
                await SubmissionWriter.WriteCsvAsync(submission, file, cancellationToken);
            }

            files.Add(path);
        }


        // Warm up (JIT, SQLite, DuckDB's first query) on a tenth of the files, so no measured run pays for it alone.
        ConvertWithDuckDb(Path.GetDirectoryName(Path.GetDirectoryName(files[0]))!, Path.Combine(workDirectory, "warm.parquet"));
        var warm = files[..12];
        _ = await RunPipelineAsync(Path.Combine(workDirectory, "warm-batched"), warm, null, batch: true, workers: 2, cancellationToken);
        _ = await RunPipelineAsync(Path.Combine(workDirectory, "warm-single"), warm, null, batch: false, workers: 1, cancellationToken);

        // PIPELINE_BENCH_PROFILE=1: the month four times and nothing else, for a profiler (dotnet-trace) to look at warm runs.
        if (Environment.GetEnvironmentVariable("PIPELINE_BENCH_PROFILE") == "1")
        {
            for (var i = 0; i < 4; i++)
            {
                _ = await RunPipelineAsync(Path.Combine(workDirectory, "p" + i), files, null, batch: true, workers: 1, cancellationToken);
            }

            return [];
        }

        var duck = Measure(() => ConvertWithDuckDb(drop, Path.Combine(workDirectory, "duck.parquet")));

        // The first national month in this process, as a `pipeline ingest` of a month pays it: code the small warm-up did
        // not make hot is still being compiled by the runtime's tiers while it runs.
        var cold = await RunPipelineAsync(Path.Combine(workDirectory, "cold"), files, null, batch: true, workers: 1, cancellationToken);

        // The same month again into a fresh data directory, as a host that has already processed a month runs it; one worker
        // (the default, Pipeline:Drop:Workers), timed by stage through the step hook, for the profile.
        var stages = new StageClock();
        var warmRun = await RunPipelineAsync(
            Path.Combine(workDirectory, "warm"), files, stages, batch: true, workers: 1, cancellationToken);

        // One worker per core preparing files (validation, receipts, Parquet) before the one transaction.
        var workers = Environment.ProcessorCount;
        var parallel = await RunPipelineAsync(
            Path.Combine(workDirectory, "parallel"), files, null, batch: true, workers, cancellationToken);

        // File by file (ProcessFileAsync, what every host did before #18, and the blob trigger for a lone file), for comparison.
        var single = await RunPipelineAsync(
            Path.Combine(workDirectory, "single"), files, null, batch: false, workers: 1, cancellationToken);

        var ratio = warmRun.Wall.TotalSeconds / duck.Wall.TotalSeconds;
        var coldRatio = cold.Wall.TotalSeconds / duck.Wall.TotalSeconds;
        return
        [
            new("files (trusts)", files.Count, "files"),
            new("rows", files.Count * 540, "rows"),
            new("DuckDB CSV → Parquet, wall", duck.Wall.TotalSeconds, "s"),
            new("DuckDB CSV → Parquet, CPU", duck.Cpu.TotalSeconds, "s"),
            new("pipeline batched, warm, wall", warmRun.Wall.TotalSeconds, "s"),
            new("pipeline batched, warm, CPU", warmRun.Cpu.TotalSeconds, "s"),
            new("pipeline ÷ DuckDB (wall, warm)", ratio, "×", "≤ 3×", ratio <= 3),
            new("pipeline ÷ DuckDB (CPU, warm)", warmRun.Cpu.TotalSeconds / duck.Cpu.TotalSeconds, "×"),
            new("pipeline batched, first month in process, wall", cold.Wall.TotalSeconds, "s"),
            new("pipeline batched, first month in process, CPU", cold.Cpu.TotalSeconds, "s"),
            new("pipeline ÷ DuckDB (wall, first month)", coldRatio, "×", "≤ 3×", coldRatio <= 3),
            .. stages.Metrics(files.Count),
            new($"pipeline batched, {workers} workers, wall", parallel.Wall.TotalSeconds, "s"),
            new($"pipeline batched, {workers} workers, CPU", parallel.Cpu.TotalSeconds, "s"),
            new("pipeline file by file, wall", single.Wall.TotalSeconds, "s"),
            new("pipeline file by file, CPU", single.Cpu.TotalSeconds, "s"),
            new("file by file ÷ DuckDB (wall)", single.Wall.TotalSeconds / duck.Wall.TotalSeconds, "×"),
        ];
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> RunPipelineAsync(
        string dataDirectory, IReadOnlyList<string> files, StageClock? stages, bool batch, int workers, CancellationToken cancellationToken)
    {
        var services = PipelineServices.Create(
            new PipelineOptions { DataDirectory = dataDirectory },
            TimeProvider.System,
            new PipelineServiceOverrides
            {
                FaultHook = stages is null ? null : stages.Reached,
                AfterLoad = stages is null ? [] : [new DetectionDone(stages)],
            });
        await services.Store.MigrateAsync(cancellationToken);
        try
        {
            return await RunAsync(services, files, stages, batch, workers, cancellationToken);
        }
        finally
        {
            // Each run stands for its own process: a finished store's pooled connections (and their page caches) go, as they
            // would when that process ended, so the peak is one pipeline's and not five pipelines' together.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> RunAsync(
        PipelineServices services,
        IReadOnlyList<string> files,
        StageClock? stages,
        bool batch,
        int workers,
        CancellationToken cancellationToken)
    {
        return await MeasureAsync(async () =>
        {
            if (batch)
            {
                stages?.Start();
                var results = await services.Processor.ProcessFilesAsync(files, cancellationToken, workers);
                stages?.Finish();
                foreach (var item in results.Where(r => r.Result?.Outcome != ProcessingOutcome.Accepted))
                {
                    var why = item.Result?.Message ?? item.Error?.Message;
                    throw new InvalidOperationException($"{item.Key} was {item.Result?.Outcome}: {why}");
                }

                return;
            }

            foreach (var path in files)
            {
                var result = await services.Processor.ProcessFileAsync(path, cancellationToken);
                if (result.Outcome != ProcessingOutcome.Accepted)
                {
                    throw new InvalidOperationException($"{path} was {result.Outcome}: {result.Message}");
                }
            }
        });
    }

    private static void ConvertWithDuckDb(string folder, string target)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var glob = Path.Combine(folder, "**", "*.csv").Replace("'", "''", StringComparison.Ordinal);
        var output = target.Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = $"COPY (SELECT * FROM read_csv('{glob}', union_by_name = true)) TO '{output}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Action action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        action();
        return (watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> action)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pause = GC.GetTotalPauseDuration();
        var watch = Stopwatch.StartNew();
        await action();
        var collections = $"{GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}";
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocated {(GC.GetTotalAllocatedBytes() - allocated) / 1e6:0} MB, collections (gen 0/1/2) {collections}, " +
            $"paused {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms, wall {watch.Elapsed.TotalSeconds:0.00} s"));
        return (watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    /// <summary>
    /// Wall and CPU time between the processor's steps, summed over files (one worker: files are prepared one after another, then
    /// the batch's one transaction runs between the last lake write and the first "loaded" step).
    /// </summary>
    private sealed class StageClock
    {
        private readonly Dictionary<string, (TimeSpan Wall, TimeSpan Cpu)> _totals = new(StringComparer.Ordinal);
        private long _since;
        private TimeSpan _cpuSince;

        public void Start()
        {
            _since = Stopwatch.GetTimestamp();
            _cpuSince = Process.GetCurrentProcess().TotalProcessorTime;
        }

        public Task Reached(ProcessingStep step, CancellationToken cancellationToken)
        {
            Add(step switch
            {
                ProcessingStep.Received => "copy in, hash, record receipt of the file",
                ProcessingStep.Validated => "read and validate",
                ProcessingStep.ReceiptWritten => "write the receipt",
                ProcessingStep.LakeWritten => "write Parquet",
                ProcessingStep.Loaded when _loaded++ == 0 => "batch transaction: alerts, commit",
                _ => "tidy the lake partition",
            });
            return Task.CompletedTask;
        }

        public void Finish() => Add("tidy the lake partition");

        public void DetectionDone() => Add("batch transaction: rows, counts, detection");

        private int _loaded;

        public IEnumerable<Metric> Metrics(int files) => _totals.Select(t => new Metric(
            $"stage: {t.Key} (CPU {t.Value.Cpu.TotalMilliseconds / files:0.0} ms)", t.Value.Wall.TotalMilliseconds / files, "ms/file"));

        private void Add(string stage)
        {
            var now = Stopwatch.GetTimestamp();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var (wall, used) = _totals.GetValueOrDefault(stage);
            _totals[stage] = (wall + Stopwatch.GetElapsedTime(_since, now), used + (cpu - _cpuSince));
            (_since, _cpuSince) = (now, cpu);
        }
    }

    /// <summary>An after-load step between detection and alerts (where host steps go): marks the end of detection in the batch.</summary>
    private sealed class DetectionDone(StageClock stages) : IAfterLoad
    {
        public Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AfterLoadBatchAsync(AfterLoadBatchContext context, CancellationToken cancellationToken)
        {
            stages.DetectionDone();
            return Task.CompletedTask;
        }
    }
}
