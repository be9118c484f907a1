using Microsoft.Data.SqlClient;

namespace Pipeline.Tests.Shared;

/// <summary>
/// A throwaway database on the SQL Server named by PIPELINE_TEST_SQLSERVER (a connection string); the calling test is
/// skipped without it. Dropped on dispose.
/// </summary>
public sealed class SqlServerTestDatabase : IAsyncDisposable
{
    public const string Variable = "PIPELINE_TEST_SQLSERVER";
    private string? _database;
    private string? _server;

    /// <summary>Creates the empty database and returns its connection string (skips the test when the variable is unset).</summary>
    public async Task<string> CreateAsync()
    {
        _server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(_server))
        {
            Assert.Skip($"{Variable} is not set");
        }

        _database = "pipeline_test_" + Guid.NewGuid().ToString("N");
        await ExecuteOnMasterAsync($"create database [{_database}]");
        return new SqlConnectionStringBuilder(_server) { InitialCatalog = _database }.ConnectionString;
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
