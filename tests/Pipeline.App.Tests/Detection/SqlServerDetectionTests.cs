using Microsoft.Data.SqlClient;
using Pipeline.App.Configuration;
using Pipeline.App.Tests.Processing;

namespace Pipeline.App.Tests.Detection;

/// <summary>The detection contract on SQL Server; each test gets its own database, dropped afterwards. Skipped without PIPELINE_TEST_SQLSERVER.</summary>
[Trait("Category", "Integration")]
public sealed class SqlServerDetectionTests : DetectionContract, IAsyncDisposable
{
    private const string Variable = "PIPELINE_TEST_SQLSERVER";
    private string? _database;
    private string? _server;

    private protected override async Task<PipelineHarness> CreateHarnessAsync()
    {
        _server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(_server))
        {
            Assert.Skip($"{Variable} is not set");
        }

        _database = "pipeline_test_" + Guid.NewGuid().ToString("N");
        await ExecuteOnMasterAsync($"create database [{_database}]");
        var connectionString = new SqlConnectionStringBuilder(_server) { InitialCatalog = _database }.ConnectionString;
        return await PipelineHarness.CreateAsync(configure: o =>
        {
            o.Store.Provider = StoreOptions.SqlServer;
            o.Store.ConnectionString = connectionString;
        });
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
