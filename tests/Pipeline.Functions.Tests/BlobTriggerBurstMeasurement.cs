using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Blobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Functions.Tests;

/// <summary>
/// A measurement, run on request only (<c>dotnet test --filter BlobTriggerBurstMeasurement -- xUnit.Explicit=only</c>): a
/// national month's burst through the function class on Azurite, drained in batches (today's registration) against one
/// file per invocation (the earlier <see cref="SubmissionIntake"/>). Two instances, four invocations at once each (host.json
/// <c>maxDegreeOfParallelism</c>); each upload's event fires as soon as the upload is done, on the real clock. Prints the
/// wall time and the drains; asserts each file settled once.
/// </summary>
public sealed class BlobTriggerBurstMeasurement(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private const int Files = 90;
    private static readonly Period October = new(2026, 10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Explicit = true)]
    public async Task A_burst_drained_in_batches_against_one_file_per_invocation()
    {
        azurite.SkipUnlessAvailable();
        foreach (var landedFirst in new[] { false, true })
        {
            var batched = await RunAsync(batched: true, landedFirst);
            var single = await RunAsync(batched: false, landedFirst);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Files} files, {(landedFirst ? "all landed, then the events" : "each event on its upload")}: "
                + $"batched drain {batched.Seconds:0.0} s (uploads {batched.Uploads:0.0} s) in {batched.Drains.Count} drains "
                + $"({string.Join(" ", batched.Drains)}); "
                + $"one file per invocation {single.Seconds:0.0} s (uploads {single.Uploads:0.0} s)"));
        }
    }

    private async Task<(double Seconds, double Uploads, List<int> Drains)> RunAsync(bool batched, bool landedFirst)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("pipeline-burst-").FullName;
        try
        {
            var service = new BlobServiceClient(azurite.ConnectionString);
            await foreach (var c in service.GetBlobContainersAsync(cancellationToken: Ct))
            {
                if (c.Name != "locks")
                {
                    await service.DeleteBlobContainerAsync(c.Name, cancellationToken: Ct);
                }
            }

            var drains = new ConcurrentQueue<int>();
            using var first = Host(dataDirectory, drains);
            using var second = Host(dataDirectory, drains);
            var container = service.GetBlobContainerClient("submissions");
            await container.CreateIfNotExistsAsync(cancellationToken: Ct);
            var trusts = ReferenceData.Embedded.TrustsActiveIn(October).Select(t => t.Code).Order(StringComparer.Ordinal)
                .Take(Files).ToList();
            Assert.Equal(Files, trusts.Count);
            var contents = trusts.Select((t, i) => SampleSubmissions.ToJson(SampleSubmissions.Typical(t, October, i))).ToList();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromMinutes(20));
            var slots = new[] { new SemaphoreSlim(4), new SemaphoreSlim(4) };
            var instances = new[] { first, second };

            var clock = Stopwatch.StartNew();
            var invocations = new List<Task>();
            var blobs = new List<BlobClient>();
            for (var i = 0; i < Files; i++)
            {
                var blob = container.GetBlobClient($"{trusts[i]}/2026-10/equity.json");
                await blob.UploadAsync(new BinaryData(contents[i]), overwrite: true, limit.Token);
                blobs.Add(blob);
                if (!landedFirst)
                {
                    invocations.Add(InvokeAsync(instances[i % 2], slots[i % 2], blob, batched, limit.Token));
                }
            }

            var uploads = clock.Elapsed.TotalSeconds;
            if (landedFirst)
            {
                // Older than Pipeline:Drop:MinimumAgeSeconds, as a burst is by the time a busy host gets to its events.
                await Task.Delay(TimeSpan.FromSeconds(2.5), limit.Token);
                clock.Restart();
                invocations.AddRange(blobs.Select((blob, i) => InvokeAsync(instances[i % 2], slots[i % 2], blob, batched, limit.Token)));
            }

            await Task.WhenAll(invocations);
            var seconds = clock.Elapsed.TotalSeconds;

            var store = first.GetRequiredService<IPipelineStore>();
            foreach (var trust in trusts)
            {
                var row = Assert.Single(await store.ListSubmissionsAsync(trust, October, Ct));
                Assert.Equal((trust, SubmissionStatus.Accepted, 1), (trust, row.Status, row.Attempts));
            }

            return (seconds, uploads, [.. drains]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task InvokeAsync(ServiceProvider instance, SemaphoreSlim slot, BlobClient blob, bool batched, CancellationToken ct)
    {
        await slot.WaitAsync(ct);
        try
        {
            var intake = batched ? instance.GetRequiredService<ISubmissionIntake>()
                : new SubmissionIntake(instance.GetRequiredService<SubmissionProcessor>(), instance.GetRequiredService<StoreSchemaGate>());
            await new ProcessSubmission(intake, instance.GetRequiredService<ILogger<ProcessSubmission>>()).RunAsync(blob, ct);
        }
        finally
        {
            slot.Release();
        }
    }

    private ServiceProvider Host(string dataDirectory, ConcurrentQueue<int> drains)
    {
        var settings = new Dictionary<string, string?>
        {
            [StorageConfiguration.DataDirectoryKey] = dataDirectory,
            [StorageConfiguration.ConnectionStringKey] = azurite.ConnectionString,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging(b => b.AddProvider(new DrainCounter(drains)));
        services.AddPipelineHosting(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>Counts the files of each drain from the intake's log.</summary>
    private sealed class DrainCounter(ConcurrentQueue<int> drains) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.Any(kv => kv.Key == "{OriginalFormat}" && kv.Value is string f
                    && f.StartsWith("Drained ", StringComparison.Ordinal)))
            {
                drains.Enqueue(Convert.ToInt32(values.First(kv => kv.Key == "Count").Value, CultureInfo.InvariantCulture));
            }
        }

        public void Dispose()
        {
        }
    }
}
