using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Notifications;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Notifications;

/// <summary>The outbox contract against a real, migrated SQLite file.</summary>
public sealed class SqliteNotificationOutboxTests : NotificationOutboxContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-outbox-").FullName;

    protected override async Task<INotificationOutbox> CreateAsync()
    {
        var store = SqliteStore.ForDataDirectory(_directory, ReferenceData.Embedded, new StoreSettings(15), new FakeTimeProvider());
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return new SqlNotificationOutbox(store);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>The outbox contract against SQL Server when PIPELINE_TEST_SQLSERVER is set; each test gets its own database.</summary>
[Trait("Category", "Integration")]
public sealed class SqlServerNotificationOutboxTests : NotificationOutboxContract, IAsyncDisposable
{
    private readonly SqlServerTestDatabase _database = new();

    protected override async Task<INotificationOutbox> CreateAsync()
    {
        var store = new SqlServerStore(await _database.CreateAsync(), ReferenceData.Embedded, new StoreSettings(15), new FakeTimeProvider());
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return new SqlNotificationOutbox(store);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
