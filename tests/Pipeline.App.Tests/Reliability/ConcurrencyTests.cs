using Microsoft.Data.Sqlite;
using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Processing;
using Pipeline.App.Tests.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Reliability;

/// <summary>
/// Many files at once through the folder drop, on the real clock, real SQLite (WAL, IMMEDIATE write transactions, busy
/// timeout) and the real lake: no lost update, no duplicate, no deadlock.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-concurrency-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fifty trusts open in October 2026, in code order.</summary>
    internal static List<string> FiftyTrusts() =>
        [.. ReferenceData.Embedded.TrustsActiveIn(October).Select(t => t.Code).Order(StringComparer.Ordinal).Take(50)];

    [Fact]
    public async Task Fifty_trusts_processed_at_once_are_each_loaded_exactly_once()
    {
        var services = await StartAsync();
        var keys = new List<string>();
        foreach (var (trust, i) in FiftyTrusts().Select((t, i) => (t, i)))
        {
            keys.Add(await PutAsync(services, trust, October, "equity.json", SampleSubmissions.Typical(trust, October, seed: i)));
        }

        var results = await Task.WhenAll(keys.Select(k => Task.Run(() => ProcessUntilSettledAsync(services, k), Ct)));

        Assert.Equal(50, FiftyTrusts().Count);
        Assert.All(results, r => Assert.Equal(ProcessingOutcome.Accepted, r.Outcome));
        await AssertOneCurrentPerMonthAsync(services, FiftyTrusts(), expectedSubmissions: 50);
    }

    [Fact]
    public async Task Two_versions_of_one_month_processed_at_once_the_later_received_wins_and_both_are_kept()
    {
        var services = await StartAsync();
        var trusts = FiftyTrusts().Take(20).ToList();
        var pairs = new List<(string First, string Second)>();
        foreach (var (trust, i) in trusts.Select((t, i) => (t, i)))
        {
            pairs.Add((await PutAsync(services, trust, October, "v1.json", SampleSubmissions.Typical(trust, October, seed: 100 + i)),
                       await PutAsync(services, trust, October, "v2.json", SampleSubmissions.Typical(trust, October, seed: 200 + i))));
        }

        // Each pair races: both start together, so the lake writes, loads and tidies of one month interleave.
        await Task.WhenAll(pairs.SelectMany(p => new[] { p.First, p.Second }).Select(k => Task.Run(() => ProcessUntilSettledAsync(services, k), Ct)));

        foreach (var trust in trusts)
        {
            var rows = await services.Store.ListSubmissionsAsync(trust, October, Ct);
            Assert.Equal(2, rows.Count);
            var later = rows.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal).Last();
            var earlier = rows.Single(r => r.Id != later.Id);
            Assert.Equal((SubmissionStatus.Accepted, (string?)null), (later.Status, later.SupersededBy));
            Assert.Equal((SubmissionStatus.Superseded, later.Id), (earlier.Status, earlier.SupersededBy));
            Assert.Equal([later.Id], LakeFiles(MeasureLake.CurrentRoot, trust));
            Assert.Equal([earlier.Id], LakeFiles(MeasureLake.SupersededRoot, trust));
        }

        await AssertOneCurrentPerMonthAsync(services, trusts, expectedSubmissions: 40);
    }

    [Fact]
    public async Task A_tidy_that_read_sql_before_the_later_version_committed_does_not_leave_the_month_without_a_lake_file()
    {
        // The interleaving the racing test above can only hit by chance, forced: v2 (received later) writes its lake file and
        // stops; v1 loads and tidies, retiring v2's file because SQL still says v1 is current; then v2 loads and becomes current.
        await using var h = await PipelineHarness.CreateAsync();
        var v1Received = new TaskCompletionSource();
        var v1Go = new TaskCompletionSource();
        var v2LakeWritten = new TaskCompletionSource();
        var v2Go = new TaskCompletionSource();
        var (received, lakeWritten) = (0, 0);
        h.Fault = async step =>
        {
            if (step == ProcessingStep.Received && Interlocked.Increment(ref received) == 1)
            {
                v1Received.SetResult();
                await v1Go.Task;
            }
            else if (step == ProcessingStep.LakeWritten && Interlocked.Increment(ref lakeWritten) == 1)
            {
                v2LakeWritten.SetResult();
                await v2Go.Task;
            }
        };
        var v1Key = await h.PutAsync("R0A", October, "v1.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 1)));
        var v2Key = await h.PutAsync("R0A", October, "v2.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 2)));

        var v1 = Task.Run(() => h.Processor.ProcessAsync(v1Key, Ct), Ct);
        await v1Received.Task;
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var v2 = Task.Run(() => h.Processor.ProcessAsync(v2Key, Ct), Ct);
        await v2LakeWritten.Task;
        v1Go.SetResult();
        Assert.Equal(ProcessingOutcome.Accepted, (await v1).Outcome);
        v2Go.SetResult();
        var later = await v2;

        Assert.Equal(ProcessingOutcome.Accepted, later.Outcome);
        Assert.Equal(later.SubmissionId, (await h.Store.FindCurrentAsync("R0A", October, Ct))!.Id);
        Assert.Equal(await h.Store.GetCurrentMeasuresAsync(null, Ct), h.LakeCurrentMeasures());
        Assert.Single(Directory.GetFiles(h.PathOf(MeasureLake.PartitionPrefix(MeasureLake.CurrentRoot, "R0A", October))));
    }

    [Fact]
    public async Task Watch_with_four_workers_takes_fifty_trusts_in_parallel_and_one_month_in_order()
    {
        var services = await StartAsync(workers: 4);
        var trusts = FiftyTrusts();
        foreach (var (trust, i) in trusts.Select((t, i) => (t, i)))
        {
            await PutAsync(services, trust, October, "a.json", SampleSubmissions.Typical(trust, October, seed: i));
        }

        var resubmission = await PutAsync(services, trusts[0], October, "b.json", SampleSubmissions.Typical(trusts[0], October, seed: 999));

        // Poll as watch does until a poll finds nothing: an attempt that lost the write lock for longer than the busy timeout
        // is retried by the next poll, never settled twice.
        var results = new List<ProcessingResult>();
        for (var poll = 0; poll < 5 && (await services.Drop.PollOnceAsync(Ct)) is { Count: > 0 } found; poll++)
        {
            results.AddRange(found);
        }

        var settled = results.Where(r => r.IsSettled).ToList();
        Assert.Equal(51, settled.Count);
        Assert.Equal(51, settled.Select(r => r.SourceKey).Distinct().Count());
        Assert.All(settled, r => Assert.False(r.AlreadyProcessed));
        Assert.Empty(await services.Drop.PollOnceAsync(Ct));
        Assert.Equal(resubmission, (await services.Store.FindCurrentAsync(trusts[0], October, Ct))!.SourcePath);
        await AssertOneCurrentPerMonthAsync(services, trusts, expectedSubmissions: 51);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    // What a host does with a failed attempt (an attempt can lose the SQLite write lock under 50 concurrent loads): try again.
    private static async Task<ProcessingResult> ProcessUntilSettledAsync(PipelineServices services, string key)
    {
        var result = await services.Processor.ProcessAsync(key, Ct);
        for (var attempt = 2; attempt <= 5 && !result.IsSettled; attempt++)
        {
            result = await services.Processor.ProcessAsync(key, Ct);
        }

        return result;
    }

    private async Task<PipelineServices> StartAsync(int workers = 1)
    {
        var options = new PipelineOptions { DataDirectory = _root };
        options.Drop.MinimumAgeSeconds = 0;
        options.Drop.Workers = workers;
        // The property here is no lost or doubled update, not the lock wait: the whole test suite runs beside these 50 loads on
        // two cores, so the wait gets room (the redelivery after a timed-out wait is AzureIntakeTests' subject).
        options.Store.BusyTimeoutSeconds = 300;
        var services = PipelineServices.Create(options, TimeProvider.System);
        await services.Store.MigrateAsync(Ct);
        return services;
    }

    private static async Task<string> PutAsync(PipelineServices services, string trust, Period period, string name, Submission submission)
    {
        var key = $"submissions/{trust}/{period}/{name}";
        using var content = new MemoryStream(SampleSubmissions.ToJson(submission));
        await services.Objects.WriteAsync(key, content, Ct);
        return key;
    }

    private List<string> LakeFiles(string root, string trust)
    {
        var folder = Path.Combine(_root, MeasureLake.PartitionPrefix(root, trust, October));
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)] : [];
    }

    // One row per submission (each attempt counted), one current per month, and the lake's current rows equal the store's, row for row.
    private async Task AssertOneCurrentPerMonthAsync(PipelineServices services, IReadOnlyList<string> trusts, int expectedSubmissions)
    {
        var rows = new List<SubmissionRecord>();
        foreach (var trust in trusts)
        {
            var month = await services.Store.ListSubmissionsAsync(trust, October, Ct);
            Assert.Single(month, r => r.Status == SubmissionStatus.Accepted);
            rows.AddRange(month);
        }

        Assert.Equal(expectedSubmissions, rows.Count);
        Assert.All(rows, r => Assert.InRange(r.Attempts, 1, 5));
        var store = await services.Store.GetCurrentMeasuresAsync(October, Ct);
        Assert.Equal(trusts.Count * 540, store.Count);
        Assert.Equal(trusts.Count, Directory.GetFiles(Path.Combine(_root, "lake", "measures"), "*.parquet", SearchOption.AllDirectories).Length);
        var lake = PipelineHarness.LakeCurrentMeasures(_root);
        Assert.Equal(store, lake);
    }
}
