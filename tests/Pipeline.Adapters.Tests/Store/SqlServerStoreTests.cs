using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>The store contract against SQL Server; each test gets its own database, dropped afterwards.</summary>
[Trait("Category", "Integration")]
public sealed class SqlServerStoreTests : StoreContract, IAsyncDisposable
{
    public const string Variable = "PIPELINE_TEST_SQLSERVER";
    private readonly SqlServerTestDatabase _database = new();

    protected override async Task<IPipelineStore> CreateStoreAsync(ReferenceData? reference = null) =>
        await _database.CreateStoreAsync(Ct, Time, reference ?? Reference);

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
