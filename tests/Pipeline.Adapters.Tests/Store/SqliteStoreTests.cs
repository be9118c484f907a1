using Microsoft.Data.Sqlite;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

public sealed class SqliteStoreTests : StoreContract, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-sqlite-").FullName;

    protected override async Task<IPipelineStore> CreateStoreAsync(ReferenceData? reference = null, StoreSettings? settings = null)
    {
        var store = SqliteStore.ForDataDirectory(_directory, reference ?? Reference, settings ?? Settings, Time);
        await store.MigrateAsync(Ct);
        return store;
    }

    [Fact]
    public async Task Database_is_a_wal_file_in_the_data_directory_with_foreign_keys_enforced()
    {
        var store = (SqliteStore)await CreateStoreAsync();

        Assert.Equal(Path.Combine(_directory, "pipeline.db"), store.DatabasePath);
        await using var connection = await store.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "pragma journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
        command.CommandText = "insert into measure values ('nope', 'R0A', '2026-10', 'stillbirth', 'total', 'all', 1, 2)";
        await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync(Ct));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
