using Azure.Storage.Blobs;
using Pipeline.Adapters.Storage;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Storage;

/// <summary>The shared object-store contract, plus what is specific to blobs, against a real Azurite.</summary>
public sealed class BlobObjectStoreTests(AzuriteServer azurite) : ObjectStoreContract, IClassFixture<AzuriteServer>
{
    // Each test gets its own container-name prefix, so tests sharing the server never see each other's objects.
    private readonly string _prefix = AzuriteServer.NewContainerPrefix();

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(CreateBlobStore());

    [Fact]
    public async Task Container_is_created_by_the_first_write_into_its_area()
    {
        var store = CreateBlobStore();
        var container = Account().GetBlobContainerClient(_prefix + "quarantine");
        Assert.False(await container.ExistsAsync(Ct));

        await store.WriteAsync("quarantine/R0A/2026-10/broken.csv", Text("x"), Ct);

        Assert.True(await container.ExistsAsync(Ct));
    }

    [Fact]
    public async Task First_key_segment_is_the_container_and_the_rest_the_blob_name()
    {
        var store = CreateBlobStore();
        await store.WriteAsync("reports/R0A/2026-10/abc.json", Text("{}"), Ct);

        var blob = Account().GetBlobContainerClient(_prefix + "reports").GetBlobClient("R0A/2026-10/abc.json");
        Assert.Equal("{}", (await blob.DownloadContentAsync(Ct)).Value.Content.ToString());
        Assert.Equal(blob.Uri.ToString(), store.Describe("reports/R0A/2026-10/abc.json"));
    }

    [Fact]
    public async Task Of_concurrent_TryCreates_exactly_one_wins_and_its_content_stays()
    {
        var store = CreateBlobStore();
        var attempts = Enumerable.Range(0, 8)
            .Select(i => store.TryCreateAsync("submissions/R0A/2026-10/race.csv", Text($"writer {i}"), Ct))
            .ToArray();

        var won = await Task.WhenAll(attempts);

        Assert.Single(won, w => w);
        var winner = Array.IndexOf(won, true);
        Assert.Equal($"writer {winner}", await ReadAsync(store, "submissions/R0A/2026-10/race.csv"));
    }

    [Fact]
    public async Task Prefix_without_a_slash_lists_every_matching_area_in_ordinal_order()
    {
        var store = CreateBlobStore();
        await store.WriteAsync("reports/R0A/r.json", Text("r"), Ct);
        await store.WriteAsync("lake/m/p.parquet", Text("p"), Ct);
        await store.WriteAsync("submissions/R0A/2026-10/a.csv", Text("a"), Ct);

        Assert.Equal(["lake/m/p.parquet", "reports/R0A/r.json", "submissions/R0A/2026-10/a.csv"], await KeysAsync(store, ""));
        Assert.Equal(["reports/R0A/r.json"], await KeysAsync(store, "rep"));
    }

    [Fact]
    public async Task Listing_an_area_that_was_never_written_is_empty()
    {
        Assert.Empty(await KeysAsync(CreateBlobStore(), "outbox/"));
    }

    [Fact]
    public async Task Reading_a_missing_blob_is_FileNotFound_naming_its_url()
    {
        var store = CreateBlobStore();

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync("reports/none.json", Ct));

        Assert.Contains(store.Describe("reports/none.json"), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_object_round_trips_byte_for_byte()
    {
        var store = CreateBlobStore();
        var content = new byte[9 * 1024 * 1024 + 7];
        new Random(42).NextBytes(content);

        await store.WriteAsync("lake/big/part.parquet", new MemoryStream(content), Ct);

        await using var read = await store.OpenReadAsync("lake/big/part.parquet", Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);
        Assert.Equal(content, copy.ToArray());
    }

    [Theory]
    [InlineData("toplevel.csv")]
    [InlineData("Upper/x.csv")]
    [InlineData("a/x.csv")]
    public void Key_whose_first_segment_is_not_a_container_name_is_refused(string key)
    {
        var store = BlobObjectStoreFactory.Create(new BlobStorageOptions { ConnectionString = "UseDevelopmentStorage=true" });

        Assert.Throws<ArgumentException>(() => store.Describe(key));
    }

    private BlobObjectStore CreateBlobStore()
    {
        azurite.SkipUnlessAvailable();
        return BlobObjectStoreFactory.Create(new BlobStorageOptions { ConnectionString = azurite.ConnectionString, ContainerPrefix = _prefix });
    }

    private BlobServiceClient Account() => new(azurite.ConnectionString);

    private static async Task<List<string>> KeysAsync(IObjectStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var info in store.ListAsync(prefix, Ct))
        {
            keys.Add(info.Key);
        }

        return keys;
    }
}
