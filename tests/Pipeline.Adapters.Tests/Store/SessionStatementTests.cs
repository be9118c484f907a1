using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>
/// The statements a batch transaction keeps and re-binds per row (<see cref="StoreSession.Statement"/>): on SQLite their writes
/// go through SQLite's C API, so they must store exactly what Microsoft.Data.Sqlite stores for the same values.
/// </summary>
public sealed class SessionStatementTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-statement-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every kind of value the store binds, with edges: text (empty, non-ASCII), integers at their limits, booleans, doubles
    // (tiny, negative zero, huge), bytes, and nulls after values in the same column.
    private static readonly object?[][] Rows =
    [
        ["text", 1L, 1, true, 0.5, new byte[] { 1, 2, 3 }],
        [string.Empty, long.MaxValue, int.MinValue, false, 1e-300, Array.Empty<byte>()],
        ["Ünïcödé – ≤ 140", long.MinValue, 0, true, -0.0, new byte[] { 0 }],
        [null, null, null, null, null, null],
        ["x", 0L, int.MaxValue, false, 1.7976931348623157e308, new byte[] { 255 }],
    ];

    [Fact]
    public async Task Rows_written_through_the_kept_statement_are_stored_as_microsoft_data_sqlite_stores_them()
    {
        var store = await StoreAsync();
        var rows = Rows;

        var (kept, reference, changed) = await store.WriteAsync(
            async (session, ct) =>
            {
                var connection = (SqliteConnection)session.Connection;
                await ExecuteAsync(connection, "create table kept (s, l, i, b, d, y)", ct);
                await ExecuteAsync(connection, "create table reference (s, l, i, b, d, y)", ct);
                foreach (var row in rows)
                {
                    await session.Statement(
                            "insert into kept (s, l, i, b, d, y) values (@s, @l, @i, @b, @d, @y)", "@s", "@l", "@i", "@b", "@d", "@y")
                        .Bind(row).ExecuteAsync(ct);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "insert into reference (s, l, i, b, d, y) values (@s, @l, @i, @b, @d, @y)";
                    foreach (var (name, value) in new[] { "@s", "@l", "@i", "@b", "@d", "@y" }.Zip(row))
                    {
                        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
                    }

                    await command.ExecuteNonQueryAsync(ct);
                }

                var changed = await session.Statement("update kept set i = @i where s = @s", "@i", "@s").Bind(7, "x").ExecuteAsync(ct);
                await ExecuteAsync(connection, "update kept set i = 2147483647 where s = 'x'", ct);
                return (await DumpAsync(connection, "kept", ct), await DumpAsync(connection, "reference", ct), changed);
            },
            Ct);

        Assert.Equal(rows.Length, kept.Count);
        Assert.Equal(reference, kept);
        Assert.Equal(1, changed);
    }

    [Fact]
    public async Task A_kept_statement_refuses_what_microsoft_data_sqlite_refuses()
    {
        var store = await StoreAsync();

        await store.WriteAsync(
            async (session, ct) =>
            {
                var connection = (SqliteConnection)session.Connection;
                await ExecuteAsync(connection, "create table t (k text primary key, d real)", ct);
                var insert = session.Statement("insert into t (k, d) values (@k, @d)", "@k", "@d");
                await insert.Bind("a", 1.0).ExecuteAsync(ct);
                // A constraint violation is the provider's exception, and the statement stays usable after it.
                var duplicate = await Assert.ThrowsAsync<SqliteException>(() => insert.Bind("a", 2.0).ExecuteAsync(ct));
                Assert.Equal(19, duplicate.SqliteErrorCode);
                await Assert.ThrowsAsync<InvalidOperationException>(() => insert.Bind("b", double.NaN).ExecuteAsync(ct));
                Assert.Equal(1, await insert.Bind("c", 3.0).ExecuteAsync(ct));
                // Parameters must be the statement's: one left unnamed would silently bind null.
                await Assert.ThrowsAsync<ArgumentException>(
                    () => session.Statement("insert into t (k, d) values (@k, @d)  ", "@k").Bind("d").ExecuteAsync(ct));
                Assert.Equal(["a|1.0", "c|3.0"], await DumpAsync(connection, "t", ct));
                return true;
            },
            Ct);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    // Each value's storage class and exact stored form, row by row.
    private static async Task<List<string>> DumpAsync(SqliteConnection connection, string table, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = table == "t"
            ? "select k || '|' || quote(d) from t order by rowid"
            : $"select typeof(s) || quote(s) || typeof(l) || quote(l) || typeof(i) || quote(i) || typeof(b) || quote(b) || " +
              $"typeof(d) || quote(d) || typeof(y) || quote(y) from {table} order by rowid";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private async Task<SqliteStore> StoreAsync()
    {
        var store = SqliteStore.ForDataDirectory(_directory, ReferenceData.Embedded, new StoreSettings(15), new FakeTimeProvider());
        await store.MigrateAsync(Ct);
        return store;
    }
}
