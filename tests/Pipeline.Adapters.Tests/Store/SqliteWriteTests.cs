using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>
/// A re-bound write statement keeps a row's texts bound when the next row repeats them (#18): every row must still read
/// back exactly as given, whatever repeats, changes, turns null, is empty or is not ASCII.
/// </summary>
public sealed class SqliteWriteTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-sqlite-write-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rows_read_back_as_bound_when_texts_repeat_change_turn_null_or_empty()
    {
        var store = SqliteStore.ForDataDirectory(_directory, ReferenceData.Embedded, new StoreSettings(15), new FakeTimeProvider());
        await store.MigrateAsync(Ct);
        var random = new Random(18);
        string?[] texts = ["R0A", "R0A", "", null, "Mixed", "Ŵelsh — é ✓ 🙂", new string('x', 700), "R1B", "r0a"];
        var rows = Enumerable.Range(0, 400)
            .Select(i => (
                Id: (long)i,
                A: texts[random.Next(texts.Length)],
                B: texts[random.Next(3)],
                N: random.Next(3) == 0 ? (object?)null : 1.5 * i))
            .ToList();

        var read = await store.WriteAsync(
            async (session, ct) =>
            {
                await session.Connection.ExecuteAsync(
                    new CommandDefinition(
                        "create temp table t (id integer, a text, b text, n real)",
                        transaction: session.Transaction,
                        cancellationToken: ct));
                foreach (var row in rows)
                {
                    await session.Statement("insert into t (id, a, b, n) values (@id, @a, @b, @n)", "@id", "@a", "@b", "@n")
                        .Bind(row.Id, row.A, row.B, row.N).ExecuteAsync(ct);
                }

                return (await session.Connection.QueryAsync<(long Id, string? A, string? B, double? N)>(
                    new CommandDefinition(
                        "select id, a, b, n from t order by id", transaction: session.Transaction, cancellationToken: ct))).ToList();
            },
            Ct);

        Assert.Equal(rows.Select(r => (r.Id, r.A, r.B, (double?)r.N)), read);
        Assert.Contains(read, r => r.A == string.Empty); // '' stays text, not NULL
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
