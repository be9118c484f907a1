using Azure.Storage.Blobs;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>
/// <c>pipeline notify</c> pointed at Blob Storage with no SMTP relay (a workstation against the Azure deployment) writes
/// the <c>.eml</c> files where the Functions host does: the <c>outbox</c> container, not a local folder.
/// </summary>
public sealed class NotifyToBlobOutboxTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-cli-notify-blob-").FullName;

    [Fact]
    public async Task Late_notices_go_to_the_outbox_container_when_blob_storage_is_configured()
    {
        azurite.SkipUnlessAvailable();
        var prefix = AzuriteServer.NewContainerPrefix();
        var pipeline = new PipelineProcess(_work);
        pipeline.Environment["Pipeline__Storage__ConnectionString"] = azurite.ConnectionString;
        pipeline.Environment["Pipeline__Storage__ContainerPrefix"] = prefix;
        var contacts = Path.Combine(_work, "contacts.csv");
        await File.WriteAllTextAsync(contacts, "scope,code,name,email\ndefault,*,Regional lead,regional.lead@nhs.example\n", TestContext.Current.CancellationToken);
        Assert.Equal(0, (await pipeline.RunAsync("contacts", "import", contacts)).ExitCode);

        var (exit, output, error) = await pipeline.RunAsync("notify", "--check-late");

        Assert.True(exit == 0, error);
        Assert.Contains($"/{prefix}outbox/", output, StringComparison.Ordinal);
        var emails = new List<string>();
        await foreach (var blob in new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix + "outbox").GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
        {
            emails.Add(blob.Name);
        }

        Assert.NotEmpty(emails);
        Assert.All(emails, name => Assert.EndsWith(".eml", name, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_work, "pipeline-data", "outbox")));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
