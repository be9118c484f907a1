using Azure.Storage.Blobs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Adapters.Storage;
using Pipeline.App.Configuration;
using Pipeline.App.Hosting;
using Pipeline.App.Reporting;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Reporting;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

/// <summary>On Blob Storage (a real Azurite), as the Functions host wires it: the report goes where the email's link points.</summary>
public sealed class BlobReportPublishingTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pipeline-blob-report-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_report_published_on_blob_storage_is_the_blob_the_default_email_link_names_in_the_prefixed_reports_container()
    {
        azurite.SkipUnlessAvailable();
        var prefix = AzuriteServer.NewContainerPrefix();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:DataDirectory"] = _dataDirectory,
            ["Pipeline:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Pipeline:Storage:ContainerPrefix"] = prefix,
            ["Pipeline:Drop:MinimumAgeSeconds"] = "0",
        }).Build();
        await using var provider = new ServiceCollection().AddPipelineHosting(configuration).AddSubmissionProcessing(configuration)
            .BuildServiceProvider();
        var services = provider.GetRequiredService<PipelineServices>();
        await services.Store.MigrateAsync(Ct);
        using (var content = new MemoryStream(SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1))))
        {
            await services.Objects.WriteAsync("submissions/R0A/2026-10/equity.json", content, Ct);
        }

        Assert.Single(await services.Drop.PollOnceAsync(Ct));
        var route = new AlertRoute(RoutingScope.Region, "Y62");

        var key = await provider.GetRequiredService<ReportPublisher>().PublishAsync(route, October, Ct);

        var link = ReportAddress.Link(PipelineComposition.ReportBaseUrl(services.Options, services.Objects), route, October);
        Assert.Equal(services.Objects.Describe(key), link);
        Assert.Contains($"/{prefix}reports/region/Y62/2026-10/equity-report.html", link, StringComparison.Ordinal);
        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient($"{prefix}reports")
            .GetBlobClient("region/Y62/2026-10/equity-report.html");
        Assert.Equal(blob.Uri.AbsoluteUri, link);
        var html = (await blob.DownloadContentAsync(Ct)).Value.Content.ToString();
        Assert.Contains("<title>Maternity equity report: North West region (Y62), 2026-10</title>", html, StringComparison.Ordinal);
        Assert.IsType<BlobObjectStore>(services.Objects);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
