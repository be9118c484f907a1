using Pipeline.Adapters.Storage;

namespace Pipeline.Adapters.Tests.Storage;

public sealed class FileSystemObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-fs-store-").FullName;

    protected override Task<IObjectStore> CreateStoreAsync() => Task.FromResult<IObjectStore>(new FileSystemObjectStore(_root));

    [Fact]
    public async Task Interrupted_write_leaves_no_visible_partial_file()
    {
        var store = new FileSystemObjectStore(_root);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.WriteAsync("lake/z/p.parquet", new SlowStream(), cancelled.Token));

        await foreach (var info in store.ListAsync("lake/", Ct))
        {
            Assert.Fail($"unexpected visible object {info.Key}");
        }
    }

    [Theory]
    [InlineData("reports/R0A/2026", new[] { "reports/R0A/2026-10/a.json", "reports/R0A/2026-11/b.json" })]
    [InlineData("reports/R0A/2026-10/", new[] { "reports/R0A/2026-10/a.json" })]
    [InlineData("rep", new[] { "reports/R0A/2026-10/a.json", "reports/R0A/2026-11/b.json", "reports/R0B/2026-10/c.json" })]
    [InlineData("reports/R0C/", new string[0])]
    [InlineData("../", new string[0])]
    public async Task List_walks_only_the_prefix_folder_yet_matches_partial_names(string prefix, string[] expected)
    {
        var store = new FileSystemObjectStore(_root);
        foreach (var key in new[] { "reports/R0A/2026-10/a.json", "reports/R0A/2026-11/b.json", "reports/R0B/2026-10/c.json", "lake/x.parquet" })
        {
            await store.WriteAsync(key, new MemoryStream([1]), Ct);
        }

        var keys = new List<string>();
        await foreach (var info in store.ListAsync(prefix, Ct))
        {
            keys.Add(info.Key);
        }

        Assert.Equal(expected, keys);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class SlowStream : MemoryStream
    {
        public SlowStream()
            : base(new byte[1024])
        {
        }
    }
}
