using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Adapters.Storage;
using Pipeline.App.Hosting;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Hosting;

public sealed class PipelineHostingTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pipeline-hosting-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_blob_settings_objects_are_files_under_the_data_directory()
    {
        var store = Resolve(new() { [StorageConfiguration.DataDirectoryKey] = _dataDirectory });

        await store.WriteAsync("reports/R0A/2026-10/r.json", new MemoryStream("{}"u8.ToArray()), Ct);

        Assert.IsType<FileSystemObjectStore>(store);
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "reports", "R0A", "2026-10", "r.json")));
    }

    [Fact]
    public async Task Connection_string_gives_a_blob_store_writing_into_that_account()
    {
        azurite.SkipUnlessAvailable();
        var prefix = AzuriteServer.NewContainerPrefix();
        var store = Resolve(new()
        {
            ["Pipeline:Storage:ConnectionString"] = azurite.ConnectionString,
            ["Pipeline:Storage:ContainerPrefix"] = prefix,
        });

        await store.WriteAsync("submissions/R0A/2026-10/f.csv", new MemoryStream(Encoding.UTF8.GetBytes("a,b")), Ct);

        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix + "submissions").GetBlobClient("R0A/2026-10/f.csv");
        Assert.Equal("a,b", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
    }

    [Fact]
    public void Service_uri_gives_a_blob_store_in_that_account()
    {
        var store = Resolve(new()
        {
            ["Pipeline:Storage:BlobServiceUri"] = "https://stpipeline.blob.core.windows.net",
            ["Pipeline:Storage:ManagedIdentityClientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal("https://stpipeline.blob.core.windows.net/lake/m/p.parquet", store.Describe("lake/m/p.parquet"));
    }

    [Fact]
    public void Both_a_service_uri_and_a_connection_string_fail_at_start_naming_both_keys()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Pipeline:Storage:BlobServiceUri"] = "https://stpipeline.blob.core.windows.net",
            ["Pipeline:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
        }));

        Assert.Contains("Pipeline:Storage:BlobServiceUri and Pipeline:Storage:ConnectionString are both set", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stpipeline.blob.core.windows.net")]
    [InlineData("ftp://stpipeline.blob.core.windows.net")]
    public void Service_uri_that_is_not_an_http_endpoint_fails_at_start_with_an_example(string value)
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Pipeline:Storage:BlobServiceUri"] = value }));

        Assert.Contains("https://<account>.blob.core.windows.net", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Container_prefix_that_breaks_the_naming_rule_fails_at_start()
    {
        var e = Assert.Throws<OptionsValidationException>(() => Resolve(new()
        {
            ["Pipeline:Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Pipeline:Storage:ContainerPrefix"] = "Bad_",
        }));

        Assert.Contains("Pipeline:Storage:ContainerPrefix", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    private static IObjectStore Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddPipelineHosting(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IObjectStore>();
    }
}
