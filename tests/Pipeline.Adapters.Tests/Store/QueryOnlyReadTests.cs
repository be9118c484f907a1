using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>
/// A blob-trigger invocation waiting for the drain polls which files are settled while the drain's batch transaction writes
/// (#18). On SQLite that poll must read the last committed state at once, not queue behind the writer until the busy
/// timeout gives up ("database is locked").
/// </summary>
public sealed class QueryOnlyReadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-read-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Settled_files_are_listed_while_a_long_write_transaction_is_open()
    {
        var store = SqliteStore.ForDataDirectory(
            _directory, ReferenceData.Embedded, new StoreSettings(15), new FakeTimeProvider(), busyTimeout: TimeSpan.FromSeconds(3));
        await store.MigrateAsync(Ct);
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writer = store.WriteAsync(
            async (session, ct) =>
            {
                // A write takes SQLite's write lock and holds it, as a batch transaction does for seconds.
                await using (var command = session.Connection.CreateCommand())
                {
                    command.Transaction = session.Transaction;
                    command.CommandText = "update submission set status = status where 0 = 1";
                    await command.ExecuteNonQueryAsync(ct);
                }

                writing.SetResult();
                await release.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
                return true;
            },
            Ct);
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var settled = await store.ListSettledSourcesAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Empty(settled);
        release.SetResult();
        Assert.True(await writer.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
