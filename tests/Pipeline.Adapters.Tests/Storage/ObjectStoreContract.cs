using System.Text;
using Pipeline.Adapters.Storage;

namespace Pipeline.Adapters.Tests.Storage;

/// <summary>
/// The behaviour every object store must have. Each implementation (folder, Azure Blob on Azurite) derives from this,
/// so the embedded default and production cannot drift apart.
/// </summary>
public abstract class ObjectStoreContract
{
    protected abstract Task<IObjectStore> CreateStoreAsync();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Written_object_reads_back_with_its_size()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("reports/R0A/2026-10/a.json", Text("{\"ok\":true}"), Ct);

        Assert.Equal("{\"ok\":true}", await ReadAsync(store, "reports/R0A/2026-10/a.json"));
        Assert.Equal(11, (await store.GetInfoAsync("reports/R0A/2026-10/a.json", Ct))!.SizeBytes);
    }

    [Fact]
    public async Task Write_replaces_an_existing_object()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("lake/x/part.parquet", Text("first"), Ct);
        await store.WriteAsync("lake/x/part.parquet", Text("second"), Ct);

        Assert.Equal("second", await ReadAsync(store, "lake/x/part.parquet"));
    }

    [Fact]
    public async Task TryCreate_keeps_the_first_object_and_reports_the_second_as_not_written()
    {
        var store = await CreateStoreAsync();

        Assert.True(await store.TryCreateAsync("submissions/R0A/2026-10/f.csv", Text("original"), Ct));
        Assert.False(await store.TryCreateAsync("submissions/R0A/2026-10/f.csv", Text("other"), Ct));
        Assert.Equal("original", await ReadAsync(store, "submissions/R0A/2026-10/f.csv"));
    }

    [Fact]
    public async Task List_returns_only_keys_under_the_prefix_in_ordinal_order()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("submissions/RXB/2026-10/b.csv", Text("b"), Ct);
        await store.WriteAsync("submissions/R0A/2026-10/a.csv", Text("a"), Ct);
        await store.WriteAsync("reports/R0A/2026-10/r.json", Text("r"), Ct);

        var keys = new List<string>();
        await foreach (var info in store.ListAsync("submissions/", Ct))
        {
            keys.Add(info.Key);
        }

        Assert.Equal(["submissions/R0A/2026-10/a.csv", "submissions/RXB/2026-10/b.csv"], keys);
    }

    [Fact]
    public async Task Missing_object_has_no_info_and_delete_of_it_is_harmless()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetInfoAsync("quarantine/none.csv", Ct));
        await store.DeleteAsync("quarantine/none.csv", Ct);
    }

    [Fact]
    public async Task Deleted_object_is_gone()
    {
        var store = await CreateStoreAsync();
        await store.WriteAsync("lake/y/old.parquet", Text("x"), Ct);
        await store.DeleteAsync("lake/y/old.parquet", Ct);

        Assert.Null(await store.GetInfoAsync("lake/y/old.parquet", Ct));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("submissions/../../x")]
    [InlineData("/absolute")]
    [InlineData("submissions//double")]
    public async Task Keys_that_could_escape_their_area_are_refused(string key)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(key, Text("x"), Ct));
    }

    protected static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    protected static async Task<string> ReadAsync(IObjectStore store, string key)
    {
        await using var stream = await store.OpenReadAsync(key, Ct);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(Ct);
    }
}
