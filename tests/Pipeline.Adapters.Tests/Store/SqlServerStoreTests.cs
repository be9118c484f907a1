using Microsoft.Data.SqlClient;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>The store contract against SQL Server; each test gets its own database, dropped afterwards.</summary>
[Trait("Category", "Integration")]
public sealed class SqlServerStoreTests : StoreContract, IAsyncDisposable
{
    public const string Variable = "PIPELINE_TEST_SQLSERVER";
    private string? _database;
    private string? _server;

    protected override async Task<IPipelineStore> CreateStoreAsync(ReferenceData? reference = null)
    {
        _server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(_server))
        {
            Assert.Skip($"{Variable} is not set");
        }

        _database = "pipeline_test_" + Guid.NewGuid().ToString("N");
        await ExecuteOnMasterAsync($"create database [{_database}]");
        var builder = new SqlConnectionStringBuilder(_server) { InitialCatalog = _database };
        var store = new SqlServerStore(builder.ConnectionString, reference ?? Reference, Settings, Time);
        await store.MigrateAsync(Ct);
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
