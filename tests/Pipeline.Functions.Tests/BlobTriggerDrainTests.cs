using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Drop;
using Pipeline.App.Hosting;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The blob trigger drains the drop as batches under the blob-lease drain lock (#18): two Function instances (two service
/// providers from the host's own registration) share one Azurite account and one SQLite store, and the function class is
/// called as the worker calls it. Every wait is bounded.
/// </summary>
public sealed class BlobTriggerDrainTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pipeline-drain-").FullName;

    // The pipeline's clock starts at the real time, so a blob's age against Pipeline:Drop:MinimumAgeSeconds is meaningful.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _logs = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_on_a_burst_of_twenty_files_settle_each_once_in_batches_and_a_redelivery_changes_nothing()
    {
        azurite.SkipUnlessAvailable();
        await ClearAccountAsync();
        using var first = Host();
        using var second = Host();
        var trusts = ReferenceData.Embedded.TrustsActiveIn(October).Select(t => t.Code).Order(StringComparer.Ordinal).Take(20).ToList();
        var blobs = new List<BlobClient>();
        foreach (var (trust, seed) in trusts.Select((t, i) => (t, i)))
        {
            blobs.Add(await UploadAsync(trust, seed));
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(4));

        // Event Grid delivers each blob's event on its own, to whichever instance; here all at once, alternating instances.
        await Task.WhenAll(blobs.Select((blob, i) => Function(i % 2 == 0 ? first : second).RunAsync(blob, limit.Token)));

        await AssertEachSettledOnceAsync(first, trusts);
        var drains = _logs.Drains();
        Assert.Equal(trusts.Count, drains.Sum());
        Assert.True(drains.Max() > 1, $"drained in batches, not one by one: {string.Join(", ", drains)}");
        Assert.True(drains.Count < trusts.Count, $"fewer drains than files: {string.Join(", ", drains)}");

        // At-least-once: every event delivered again, to the other instance.
        await Task.WhenAll(blobs.Select((blob, i) => Function(i % 2 == 0 ? second : first).RunAsync(blob, limit.Token)));

        await AssertEachSettledOnceAsync(first, trusts);
        Assert.Equal(drains, _logs.Drains());
    }

    [Fact]
    public async Task Uploads_and_their_events_interleaved_over_two_instances_are_each_processed_by_exactly_one_drain()
    {
        azurite.SkipUnlessAvailable();
        await ClearAccountAsync();
        using var first = Host();
        using var second = Host();
        // An hour ahead: every upload is past the minimum age, so each drain takes everything it lists.
        _time.Advance(TimeSpan.FromHours(1));
        var trusts = ReferenceData.Embedded.TrustsActiveIn(October).Select(t => t.Code).Order(StringComparer.Ordinal).Take(20).ToList();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(4));
        var invocations = new List<Task>();
        foreach (var (trust, i) in trusts.Select((t, i) => (t, i)))
        {
            // Each event fires as its upload completes, while earlier events' drains are running.
            var blob = await UploadAsync(trust, i);
            invocations.Add(Task.Run(() => Function(i % 2 == 0 ? first : second).RunAsync(blob, limit.Token), limit.Token));
        }

        await Task.WhenAll(invocations);

        await AssertEachSettledOnceAsync(first, trusts);
        // A file listed by two drains at once would be counted twice (the second finding it settled).
        Assert.Equal(trusts.Count, _logs.Drains().Sum());
    }

    [Fact]
    public async Task An_invocation_that_finds_the_drain_held_returns_once_the_holder_has_settled_its_file()
    {
        azurite.SkipUnlessAvailable();
        await ClearAccountAsync();
        using var holder = Host();
        using var waiter = Host();
        await holder.GetRequiredService<StoreSchemaGate>().EnsureAsync(Ct);
        var blob = await UploadAsync("R0A", seed: 1);
        var turn = await holder.GetRequiredService<IDrainLock>().TryTakeAsync(Ct);
        Assert.NotNull(turn);
        await using (turn)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromMinutes(1));
            var invocation = Function(waiter).RunAsync(blob, limit.Token);
            await _logs.WaitForAsync("another instance is draining", limit.Token);
            Assert.False(invocation.IsCompleted, "it waits while the lock is held and its file unsettled");

            // The holder drains: the waiting invocation's file is among what it settles.
            var results = await holder.GetRequiredService<DropPoller>().PollOnceAsync(anyAge: Key("R0A"), limit.Token);
            Assert.Equal([ProcessingOutcome.Accepted], results.Select(r => r.Outcome));

            // It returns while the lock is still held: it saw its file settled, and did not process it again.
            await invocation.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        }

        var row = Assert.Single(await holder.GetRequiredService<IPipelineStore>().ListSubmissionsAsync("R0A", October, Ct));
        Assert.Equal((SubmissionStatus.Accepted, 1), (row.Status, row.Attempts));
        Assert.Contains(_logs.Messages, m => m.Contains("was settled by another instance's drain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_waiting_invocation_takes_the_drain_when_the_holder_leaves_and_drains_its_young_file_with_the_rest()
    {
        azurite.SkipUnlessAvailable();
        await ClearAccountAsync();
        using var holder = Host();
        using var waiter = Host();
        var older = await UploadAsync("R0B", seed: 2);
        var olderModified = (await older.GetPropertiesAsync(cancellationToken: Ct)).Value.LastModified;
        // R0B's file is old enough for any drain; R0A's, uploaded 1.5 s later, is younger than the 2 s minimum age.
        _time.SetUtcNow(olderModified.AddSeconds(3));
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        var own = await UploadAsync("R0A", seed: 1);
        var turn = await holder.GetRequiredService<IDrainLock>().TryTakeAsync(Ct);
        Assert.NotNull(turn);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));
        Task invocation;
        await using (turn)
        {
            invocation = Function(waiter).RunAsync(own, limit.Token);
            await _logs.WaitForAsync("another instance is draining", limit.Token);
        }

        // The holder went without draining (released; a crashed one's lease would expire): the waiter drains, both files.
        await invocation.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var store = waiter.GetRequiredService<IPipelineStore>();
        foreach (var trust in new[] { "R0A", "R0B" })
        {
            var row = Assert.Single(await store.ListSubmissionsAsync(trust, October, Ct));
            Assert.Equal((SubmissionStatus.Accepted, 1), (row.Status, row.Attempts));
        }

        Assert.Equal([2], _logs.Drains());
    }

    [Fact]
    public async Task A_file_that_fails_in_the_drain_fails_its_invocation_and_the_redelivery_loads_it()
    {
        azurite.SkipUnlessAvailable();
        await ClearAccountAsync();
        // On this instance every file fails just after its lake write (the processor's fault hook), as a transient fault would.
        using var faulty = Host(new() { FaultHook = (step, _) => step == ProcessingStep.LakeWritten
            ? throw new IOException("lake unavailable") : Task.CompletedTask });
        using var healthy = Host();
        var blob = await UploadAsync("R0A", seed: 1);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<SubmissionProcessingException>(() => Function(faulty).RunAsync(blob, limit.Token));
        var store = healthy.GetRequiredService<IPipelineStore>();
        var failed = Assert.Single(await store.ListSubmissionsAsync("R0A", October, Ct));
        Assert.Equal((SubmissionStatus.Failed, 1), (failed.Status, failed.Attempts));

        await Function(healthy).RunAsync(blob, limit.Token);

        var loaded = Assert.Single(await store.ListSubmissionsAsync("R0A", October, Ct));
        Assert.Equal((SubmissionStatus.Accepted, 2), (loaded.Status, loaded.Attempts));
    }

    [Fact]
    public async Task A_waiter_gives_up_at_its_wait_limit_and_throws_so_the_event_is_delivered_again()
    {
        azurite.SkipUnlessAvailable();
        await ClearAccountAsync();
        using var holder = Host();
        using var waiter = Host();
        var blob = await UploadAsync("R0A", seed: 1);
        var intake = new DrainingSubmissionIntake(
            waiter.GetRequiredService<IDrainLock>(), waiter.GetRequiredService<DropPoller>(),
            waiter.GetRequiredService<Pipeline.Adapters.Storage.IObjectStore>(), waiter.GetRequiredService<IPipelineStore>(),
            waiter.GetRequiredService<StoreSchemaGate>(), waiter.GetRequiredService<ILogger<DrainingSubmissionIntake>>(),
            new DrainTimings(WaitLimit: TimeSpan.FromSeconds(3), PollInterval: TimeSpan.FromMilliseconds(500)));
        var turn = await holder.GetRequiredService<IDrainLock>().TryTakeAsync(Ct);
        Assert.NotNull(turn);
        await using (turn)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            await Assert.ThrowsAsync<SubmissionProcessingException>(
                () => intake.ProcessAsync(Key("R0A"), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct));
            Assert.InRange(waited.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30));
        }

        Assert.Empty(await waiter.GetRequiredService<IPipelineStore>().ListSubmissionsAsync("R0A", October, Ct));
        Assert.True((await blob.ExistsAsync(Ct)).Value);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static string Key(string trust) => $"submissions/{trust}/2026-10/equity.json";

    private static ProcessSubmission Function(IServiceProvider provider) => ActivatorUtilities.CreateInstance<ProcessSubmission>(provider);

    private static async Task AssertEachSettledOnceAsync(IServiceProvider provider, IEnumerable<string> trusts)
    {
        var store = provider.GetRequiredService<IPipelineStore>();
        foreach (var trust in trusts)
        {
            var row = Assert.Single(await store.ListSubmissionsAsync(trust, October, Ct));
            Assert.Equal((trust, SubmissionStatus.Accepted, 1), (trust, row.Status, row.Attempts));
        }
    }

    private async Task<BlobClient> UploadAsync(string trust, int seed)
    {
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("submissions");
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        var blob = container.GetBlobClient($"{trust}/2026-10/equity.json");
        var content = SampleSubmissions.ToJson(SampleSubmissions.Typical(trust, October, seed));
        await blob.UploadAsync(new BinaryData(content), overwrite: true, Ct);
        return blob;
    }

    // The trigger watches the container literally named "submissions", so these tests use no container prefix and start
    // from an empty account (the lock's container stays: its lease is released by whoever held it).
    private async Task ClearAccountAsync()
    {
        var service = new BlobServiceClient(azurite.ConnectionString);
        await foreach (var container in service.GetBlobContainersAsync(cancellationToken: Ct))
        {
            if (container.Name != "locks")
            {
                await service.DeleteBlobContainerAsync(container.Name, cancellationToken: Ct);
            }
        }
    }

    /// <summary>An instance of the Functions host: its own registration over app settings naming Azurite and the shared data
    /// directory.</summary>
    private ServiceProvider Host(PipelineServiceOverrides? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [StorageConfiguration.DataDirectoryKey] = _dataDirectory,
            [StorageConfiguration.ConnectionStringKey] = azurite.ConnectionString,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(_logs)).AddSingleton<TimeProvider>(_time);
        services.AddPipelineHosting(configuration, overrides);
        var provider = services.BuildServiceProvider();
        provider.ValidatePipelineHosting();
        return provider;
    }

    /// <summary>What the hosts log (an operator's view of the drains), kept for the assertions.</summary>
    private sealed class LogCapture : ILoggerProvider, ILogger
    {
        private readonly ConcurrentQueue<(string Message, IReadOnlyList<KeyValuePair<string, object?>>? State)> _entries = new();

        public IEnumerable<string> Messages => _entries.Select(e => e.Message);

        /// <summary>How many files each drain processed, in the order they were logged.</summary>
        public List<int> Drains() =>
        [
            .. _entries.Where(e => e.Message.StartsWith("Drained ", StringComparison.Ordinal))
                .Select(e => Convert.ToInt32(
                    e.State!.First(kv => kv.Key == "Count").Value, System.Globalization.CultureInfo.InvariantCulture)),
        ];

        public async Task WaitForAsync(string fragment, CancellationToken cancellationToken)
        {
            while (!Messages.Any(m => m.Contains(fragment, StringComparison.Ordinal)))
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            _entries.Enqueue((formatter(state, exception), state as IReadOnlyList<KeyValuePair<string, object?>>));
        }

        public void Dispose()
        {
        }
    }
}
