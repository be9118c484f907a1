using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>The store contract against SQL Server; each test gets its own database, dropped afterwards.</summary>
[Trait("Category", "Integration")]
public sealed class SqlServerStoreTests : StoreContract, IAsyncDisposable
{
    public const string Variable = SqlServerTestDatabase.Variable;
    private readonly SqlServerTestDatabase _database = new();

    protected override async Task<IPipelineStore> CreateStoreAsync(ReferenceData? reference = null, StoreSettings? settings = null)
    {
        var store = new SqlServerStore(await _database.CreateAsync(), reference ?? Reference, settings ?? Settings, Time);
        await store.MigrateAsync(Ct);
        return store;
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
