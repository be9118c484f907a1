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

        var duck = Measure(() => ConvertWithDuckDb(drop, Path.Combine(workDirectory, "duck.parquet")));
        var stages = new StageClock();
        var services = PipelineServices.Create(
            new PipelineOptions { DataDirectory = Path.Combine(workDirectory, "data") },
            TimeProvider.System,
            new PipelineServiceOverrides { FaultHook = stages.Reached });
        var pipeline = await MeasureAsync(async () =>
        {
            await services.Store.MigrateAsync(cancellationToken);
            foreach (var path in files)
            {
                stages.Start();
                var result = await services.Processor.ProcessFileAsync(path, cancellationToken);
                if (result.Outcome != ProcessingOutcome.Accepted)
                {
                    throw new InvalidOperationException($"{path} was {result.Outcome}: {result.Message}");
                }

                stages.Finish();
            }
        });

        var ratio = pipeline.Wall.TotalSeconds / duck.Wall.TotalSeconds;
        return
        [
            new("files (trusts)", files.Count, "files"),
            new("rows", files.Count * 540, "rows"),
            new("DuckDB CSV → Parquet, wall", duck.Wall.TotalSeconds, "s"),
            new("DuckDB CSV → Parquet, CPU", duck.Cpu.TotalSeconds, "s"),
            new("pipeline, wall", pipeline.Wall.TotalSeconds, "s"),
            new("pipeline, CPU", pipeline.Cpu.TotalSeconds, "s"),
            new("pipeline ÷ DuckDB (wall)", ratio, "×", "≤ 3×", ratio <= 3),
            .. stages.Metrics(files.Count),
        ];
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
        var watch = Stopwatch.StartNew();
        await action();
        return (watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    /// <summary>Wall and CPU time between the processor's steps, summed over files (files run one after another).</summary>
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
                _ => "SQL load, detection and alerts (one transaction)",
            });
            return Task.CompletedTask;
        }

        public void Finish() => Add("tidy the lake partition");

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
}
