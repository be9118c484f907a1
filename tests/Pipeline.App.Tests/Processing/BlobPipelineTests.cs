using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Hosting;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

/// <summary>The same processor and drop over Azure Blob Storage (a real Azurite), as the Functions host wires it.</summary>
public sealed class BlobPipelineTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pipeline-blob-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Drop_in_blob_storage_is_processed_into_a_blob_lake_that_keeps_only_the_current_submission()
    {
        azurite.SkipUnlessAvailable();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:DataDirectory"] = _dataDirectory,
            ["Pipeline:Drop:MinimumAgeSeconds"] = "0",
            ["Pipeline:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Pipeline:Storage:ContainerPrefix"] = AzuriteServer.NewContainerPrefix(),
        }).Build();
        await using var provider = new ServiceCollection().AddPipelineHosting(configuration).AddSubmissionProcessing(configuration).BuildServiceProvider();
        var services = provider.GetRequiredService<PipelineServices>();
        await services.Store.MigrateAsync(Ct);
        Assert.IsType<BlobObjectStore>(services.Objects);

        await PutAsync(services.Objects, "v1.json", SampleSubmissions.Typical("R0A", October, 1));
        var first = Assert.Single(await services.Drop.PollOnceAsync(Ct));
        await PutAsync(services.Objects, "v2.json", SampleSubmissions.Typical("R0A", October, 2));
        var second = Assert.Single(await services.Drop.PollOnceAsync(Ct));

        Assert.Equal((ProcessingOutcome.Accepted, ProcessingOutcome.Accepted, first.SubmissionId), (first.Outcome, second.Outcome, second.Replaced));
        Assert.Equal([second.LakeKey!], await KeysAsync(services.Objects, "lake/measures/"));
        Assert.Equal([$"lake/superseded/measures/period=2026-10/organisation=R0A/{first.SubmissionId}.parquet"], await KeysAsync(services.Objects, "lake/superseded/"));
        Assert.NotNull(await services.Objects.GetInfoAsync(second.ReceiptHtmlKey!, Ct));

        // The lake file read back by DuckDB agrees with SQL.
        var local = Path.Combine(_dataDirectory, "copy");
        Directory.CreateDirectory(Path.Combine(local, "lake", "measures", "period=2026-10", "organisation=R0A"));
        await using (var source = await services.Objects.OpenReadAsync(second.LakeKey!, Ct))
        await using (var target = File.Create(Path.Combine(local, second.LakeKey!)))
        {
            await source.CopyToAsync(target, Ct);
        }

        var sql = await services.Store.GetCurrentMeasuresAsync(October, Ct);
        Assert.Equal(sql.Sum(m => m.Numerator), LakeQuery.Scalar<System.Numerics.BigInteger>(local, $"select sum(numerator) from {LakeQuery.CurrentMeasures}"));
        Assert.Equal(sql.Count, (int)LakeQuery.Scalar<long>(local, $"select count(*) from {LakeQuery.CurrentMeasures}"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static async Task PutAsync(IObjectStore objects, string name, Submission submission)
    {
        using var content = new MemoryStream(SampleSubmissions.ToJson(submission));
        await objects.WriteAsync($"submissions/{submission.OrganisationCode}/{submission.ReportingPeriod}/{name}", content, Ct);
    }

    private static async Task<List<string>> KeysAsync(IObjectStore objects, string prefix)
    {
        var keys = new List<string>();
        await foreach (var info in objects.ListAsync(prefix, Ct))
        {
            keys.Add(info.Key);
        }

        return keys;
    }
}
