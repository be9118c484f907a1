using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>A throwaway, migrated SQL Server database on the server named by PIPELINE_TEST_SQLSERVER (the test is skipped without it).</summary>
public sealed class SqlServerTestDatabase : IAsyncDisposable
{
    private string? _database;
    private string? _server;

    public async Task<SqlServerStore> CreateStoreAsync(CancellationToken cancellationToken, TimeProvider? time = null, ReferenceData? reference = null)
    {
        _server = Environment.GetEnvironmentVariable(SqlServerStoreTests.Variable);
        if (string.IsNullOrWhiteSpace(_server))
        {
            Assert.Skip($"{SqlServerStoreTests.Variable} is not set");
        }

        _database = "pipeline_test_" + Guid.NewGuid().ToString("N");
        await ExecuteOnMasterAsync($"create database [{_database}]");
        var builder = new SqlConnectionStringBuilder(_server) { InitialCatalog = _database };
        var store = new SqlServerStore(builder.ConnectionString, reference ?? ReferenceData.Embedded, new StoreSettings(15), time ?? new FakeTimeProvider());
        await store.MigrateAsync(cancellationToken);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            SqlConnection.ClearAllPools();
            await ExecuteOnMasterAsync($"alter database [{_database}] set single_user with rollback immediate; drop database [{_database}]");
        }
    }

    private async Task ExecuteOnMasterAsync(string sql)
    {
        var builder = new SqlConnectionStringBuilder(_server) { InitialCatalog = "master" };
        await using var connection = new SqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
