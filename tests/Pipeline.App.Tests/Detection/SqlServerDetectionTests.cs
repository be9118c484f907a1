using Pipeline.App.Configuration;
using Pipeline.App.Tests.Processing;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Detection;

/// <summary>The detection contract on SQL Server; each test gets its own database, dropped afterwards. Skipped without PIPELINE_TEST_SQLSERVER.</summary>
[Trait("Category", "Integration")]
public sealed class SqlServerDetectionTests : DetectionContract, IAsyncDisposable
{
    private readonly SqlServerTestDatabase _database = new();

    private protected override async Task<PipelineHarness> CreateHarnessAsync()
    {
        var connectionString = await _database.CreateAsync();
        return await PipelineHarness.CreateAsync(configure: o =>
        {
            o.Store.Provider = StoreOptions.SqlServer;
            o.Store.ConnectionString = connectionString;
        });
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
