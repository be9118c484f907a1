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

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class SlowStream : MemoryStream
    {
        public SlowStream()
            : base(new byte[1024])
        {
        }
    }
}
