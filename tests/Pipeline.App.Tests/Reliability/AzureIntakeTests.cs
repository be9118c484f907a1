using Azure.Storage.Blobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Parquet.Serialization;
using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Text.Receipts;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Reliability;

/// <summary>
/// The Azure path on a real Azurite: a trust's upload to the <c>submissions</c> container processed by the
/// <see cref="ISubmissionIntake"/> that <c>AddPipelineHosting</c> registers for the Functions host (Blob settings), with the
/// lake in the <c>lake</c> container, receipts in <c>reports</c> and the SQLite store.
/// </summary>
public sealed class AzureIntakeTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pipeline-azure-").FullName;
    private readonly string _prefix = AzuriteServer.NewContainerPrefix();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_to_the_submissions_container_lands_in_the_lake_the_reports_and_the_store()
    {
        azurite.SkipUnlessAvailable();
        var (intake, store) = Host();
        var submission = SampleSubmissions.Typical("R0A", October, seed: 7);
        await UploadAsync("R0A/2026-10/equity.json", SampleSubmissions.ToJson(submission));

        await intake.ProcessAsync("submissions/R0A/2026-10/equity.json", Ct);

        var current = await store.FindCurrentAsync("R0A", October, Ct);
        Assert.NotNull(current);
        Assert.Equal(("submissions/R0A/2026-10/equity.json", SubmissionStatus.Accepted), (current.SourcePath, current.Status));
        var measures = await store.GetCurrentMeasuresAsync(October, Ct);
        Assert.Equal(submission.Measures.Count, measures.Count);

        var lake = Container("lake").GetBlobClient($"measures/period=2026-10/organisation=R0A/{current.Id}.parquet");
        var rows = (await ParquetSerializer.DeserializeUntypedAsync((await lake.DownloadContentAsync(Ct)).Value.Content.ToStream(), cancellationToken: Ct)).Data;
        Assert.Equal(
            measures.Select(m => (m.SubmissionId, m.IndicatorCode, m.Breakdown, m.GroupCode, m.Numerator, m.Denominator)).Order(),
            rows.Select(r => ((string)r["submission_id"]!, (string)r["indicator_code"]!, (string)r["breakdown"]!, (string)r["group_code"]!,
                (long)r["numerator"]!, (long)r["denominator"]!)).Order());

        var receipt = ReceiptJson.Read((await Container("reports").GetBlobClient(SubmissionProcessor.ReceiptKey("R0A", "2026-10",
            current.ReceivedAt, "json")["reports/".Length..]).DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.Equal((true, 0, "R0A", 540), (receipt.IsAccepted, receipt.ErrorCount, receipt.OrganisationCode, receipt.RowCount));
        Assert.True((await Container("reports").GetBlobClient(SubmissionProcessor.ReceiptKey("R0A", "2026-10", current.ReceivedAt,
            "html")["reports/".Length..]).ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task Fifty_uploads_processed_at_once_through_the_intake_are_each_loaded_once()
    {
        azurite.SkipUnlessAvailable();
        var (intake, store) = Host();
        var trusts = ConcurrencyTests.FiftyTrusts();
        await Task.WhenAll(trusts.Select((t, i) => UploadAsync($"{t}/2026-10/equity.json", SampleSubmissions.ToJson(SampleSubmissions.Typical(t, October, seed: i)))));

        // The Functions host runs blob-trigger invocations concurrently and redelivers a failed one (host.json: up to 5 tries);
        // so does this. On SQLite, 50 loads at once (detection and alerts inside each transaction) can queue a writer past the
        // busy timeout: that attempt fails, is counted, and the redelivery loads it.
        var retried = 0;
        async Task DeliverAsync(string key)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await intake.ProcessAsync(key, Ct);
                    return;
                }
                catch (SubmissionProcessingException) when (attempt < 5)
                {
                    Interlocked.Increment(ref retried);
                }
            }
        }

        await Task.WhenAll(trusts.Select(t => Task.Run(() => DeliverAsync($"submissions/{t}/2026-10/equity.json"), Ct)));
        // A second delivery of every blob (at-least-once) changes nothing.
        await Task.WhenAll(trusts.Select(t => Task.Run(() => intake.ProcessAsync($"submissions/{t}/2026-10/equity.json", Ct), Ct)));

        var attempts = 0;
        foreach (var trust in trusts)
        {
            var month = await store.ListSubmissionsAsync(trust, October, Ct);
            Assert.Equal(SubmissionStatus.Accepted, Assert.Single(month).Status);
            attempts += month[0].Attempts;
        }

        Assert.Equal(50 + retried, attempts); // every attempt counted, none lost or doubled
        TestContext.Current.TestOutputHelper?.WriteLine($"{retried} of 50 deliveries needed a redelivery");
        Assert.Equal(50 * 540, (await store.GetCurrentMeasuresAsync(October, Ct)).Count);
        var lakeFiles = new List<string>();
        await foreach (var blob in Container("lake").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "measures/", Ct))
        {
            lakeFiles.Add(blob.Name);
        }

        Assert.Equal(50, lakeFiles.Count);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    // The Functions host's registration: AddPipelineHosting over its configuration (Blob connection, SQLite in the data directory).
    private (ISubmissionIntake Intake, IPipelineStore Store) Host()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageConfiguration.ConnectionStringKey] = azurite.ConnectionString,
            [StorageConfiguration.ContainerPrefixKey] = _prefix,
            [StorageConfiguration.DataDirectoryKey] = _dataDirectory,
        }).Build();
        var provider = new ServiceCollection().AddLogging().AddPipelineHosting(configuration).BuildServiceProvider();
        return (provider.GetRequiredService<ISubmissionIntake>(), provider.GetRequiredService<IPipelineStore>());
    }

    private BlobContainerClient Container(string area) => new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_prefix + area);

    private async Task UploadAsync(string name, byte[] content)
    {
        var container = Container("submissions");
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        await container.GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true, Ct);
    }
}
