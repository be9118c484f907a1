using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

/// <summary>A real pipeline over a temp data directory: folder object store, SQLite file, Parquet lake.</summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private PipelineHarness(string root, FakeTimeProvider time, PipelineServices services)
    {
        Root = root;
        Time = time;
        Services = services;
    }

    public string Root { get; }

    public FakeTimeProvider Time { get; }

    public PipelineServices Services { get; }

    public SubmissionProcessor Processor => Services.Processor;

    public IPipelineStore Store => Services.Store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Thrown from after a step to simulate a crash there; null for none.</summary>
    public Func<ProcessingStep, Task>? Fault { get; set; }

    /// <param name="configure">Changes to the options before the services are built (for example the SQL Server store).</param>
    public static async Task<PipelineHarness> CreateAsync(
        int maxAttempts = 5, Action<PipelineOptions>? configure = null, bool deferDetection = false, DateTimeOffset? start = null)
    {
        var root = Directory.CreateTempSubdirectory("pipeline-app-").FullName;
        var time = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var options = new PipelineOptions { DataDirectory = root };
        options.Submissions.MaxAttempts = maxAttempts;
        options.Drop.MinimumAgeSeconds = 0;
        configure?.Invoke(options);
        PipelineHarness? harness = null;
        var services = PipelineServices.Create(
            options, time, new PipelineServiceOverrides
            {
                FaultHook = (step, _) => harness?.Fault?.Invoke(step) ?? Task.CompletedTask,
                DeferDetection = deferDetection,
            });
        await services.Store.MigrateAsync(Ct);
        harness = new PipelineHarness(root, time, services);
        return harness;
    }

    /// <summary>Puts bytes in the drop as a trust would, without processing them.</summary>
    public async Task<string> PutAsync(string organisation, Period period, string fileName, byte[] content)
    {
        var key = $"submissions/{organisation}/{period}/{fileName}";
        using var stream = new MemoryStream(content);
        await Services.Objects.WriteAsync(key, stream, Ct);
        return key;
    }

    /// <summary>Drops a file and processes it, one minute of (fake) time after the last.</summary>
    public async Task<ProcessingResult> DropAsync(string organisation, Period period, string fileName, byte[] content)
    {
        Time.Advance(TimeSpan.FromMinutes(1));
        return await Processor.ProcessAsync(await PutAsync(organisation, period, fileName, content), Ct);
    }

    public Task<ProcessingResult> DropAsync(Submission submission, string fileName = "equity.json") =>
        DropAsync(submission.OrganisationCode, submission.ReportingPeriod, fileName, SampleSubmissions.ToJson(submission));

    public string PathOf(string key) => Path.Combine(Root, key);

    public List<object?[]> Lake(string sql) => LakeQuery.Rows(Root, sql);

    /// <summary>Every current row in the lake, in the shape of <c>v_measure_current</c>, ordered the same way.</summary>
    public List<CurrentMeasure> LakeCurrentMeasures() => LakeCurrentMeasures(Root);

    /// <summary>Every current row in the lake under <paramref name="root"/>, in the shape and order of <c>v_measure_current</c>.</summary>
    public static List<CurrentMeasure> LakeCurrentMeasures(string root) =>
        [.. LakeQuery.Rows(root,
            $"""
            select submission_id, organisation_code, strftime(reporting_period, '%Y-%m'), indicator_code, breakdown, group_code, numerator, denominator
            from {LakeQuery.CurrentMeasures} order by 3, 2, 4, 5, 6
            """).Select(r => new CurrentMeasure((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (string)r[4]!, (string)r[5]!, (long)r[6]!, (long)r[7]!))];

    public async ValueTask DisposeAsync()
    {
        await Task.Yield();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
