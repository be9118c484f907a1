using Pipeline.Adapters.Storage;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using DbUp;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Store;

/// <summary>The embedded default: a SQLite file (<c>pipeline.db</c> in the data directory), WAL journal, foreign keys on.</summary>
public sealed class SqliteStore : SqlPipelineStore
{
    public const string FileName = "pipeline.db";

    private readonly string _connectionString;
    private readonly string _path;

    /// <param name="busyTimeout">How long a statement waits for another connection's lock before failing (default 30 s).</param>
    public SqliteStore(string databasePath, ReferenceData reference, StoreSettings settings, TimeProvider time, TimeSpan? busyTimeout = null)
        : base(reference, settings, time)
    {
        _path = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            ForeignKeys = true,
            Pooling = true,
            // Writers begin IMMEDIATE transactions and wait this long for the lock (Microsoft.Data.Sqlite retries SQLITE_BUSY).
            DefaultTimeout = (int)Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds),
        }.ToString();
    }

    /// <summary>The store for a data directory: <c>{dataDirectory}/pipeline.db</c>.</summary>
    public static SqliteStore ForDataDirectory(
        string dataDirectory, ReferenceData reference, StoreSettings settings, TimeProvider time, TimeSpan? busyTimeout = null) =>
        new(Path.Combine(dataDirectory, FileName), reference, settings, time, busyTimeout);

    // One queue per database file for the whole process: SQLite has a single writer, so write transactions from concurrent
    // files wait their turn here (fair, no busy polling); other processes still meet the busy timeout.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteTurns = new(StringComparer.Ordinal);

    public override string Engine => "sqlite";

    public string DatabasePath => _path;

    public override string Describe() => $"SQLite {_path}";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            // In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits, which at-least-once
            // processing re-runs (unsettled rows are processed again). It saves an fsync per commit.
            // The page cache trades memory for CPU, never durability: up to 16 MiB per connection (the default 2 MiB is far
            // smaller than what a national month's batch writes, ~30 MB, so it re-read pages it had just written; 32 MiB gained
            // little more for twice the memory, docs/performance.md). Temporary sorts stay in files: in memory, the counts
            // rebuild of a 36-month backfill held about 180 MB of them. No memory map: it added the mapped file to the
            // process's memory for no measurable gain.
            command.CommandText = "pragma synchronous = normal; pragma cache_size = -16384;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }

    // Deferred: the transaction takes no lock until it reads, and in WAL mode a reader never waits for the writer.
    // Reads run beside the writer on pooled connections of their own (a recompute reads ahead while it writes), and each
    // connection keeps its page cache while idle in the pool: reads get the default 2 MiB, which frees what a connection's
    // earlier writes left cached, so the extra connections add little to the process's memory (the next open restores 16 MiB).
    protected override async ValueTask<DbTransaction> BeginQueryOnlyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = "pragma cache_size = -2000;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return ((SqliteConnection)connection).BeginTransaction(deferred: true);
    }

    protected internal override async Task<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        var turn = WriteTurns.GetOrAdd(_path, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(turn);
    }

    protected override void ApplySchemaMigrations()
    {
        // Several processes starting on a fresh data directory (parallel `pipeline ingest` runs) would each see the journal
        // empty and race to create the same tables; one migrates while the others wait, then find nothing left to do.
        using var migrating = FileLock.Acquire(_path + ".migrate.lock", TimeSpan.FromMinutes(5));
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            using var wal = connection.CreateCommand();
            // WAL lets readers (analysts, `status`) run while the processor writes; the mode is stored in the file.
            wal.CommandText = "pragma journal_mode = wal;";
            wal.ExecuteNonQuery();
        }

        Migrations.Run(Migrations.Build(DeployChanges.To.SqliteDatabase(_connectionString), Migrations.SqliteFolder), Describe());
    }

    protected override object Timestamp(DateTimeOffset value) => SqlDialect.Sqlite.Timestamp(value);

    protected override object? Date(DateOnly? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private const string InsertMeasureSql =
        "insert into measure (submission_id, organisation_code, reporting_period, indicator_code, breakdown, group_code, numerator, denominator) " +
        "values ($s, $o, $p, $i, $b, $g, $n, $d)";

    // One prepared statement for the whole transaction, re-bound per row: SQLite's fastest insert path without extensions,
    // compiled once however many submissions the batch loads.
    protected override async Task BulkInsertMeasuresAsync(
        StoreSession session, string submissionId, Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(submission);
        var statement = session.Statement(InsertMeasureSql, "$s", "$o", "$p", "$i", "$b", "$g", "$n", "$d");
        var organisation = submission.OrganisationCode;
        var period = submission.ReportingPeriod.ToString();
        var row = new object?[8];
        foreach (var measure in submission.Measures)
        {
            row[0] = submissionId;
            row[1] = organisation;
            row[2] = period;
            row[3] = measure.IndicatorCode;
            row[4] = measure.Breakdown.ToWire();
            row[5] = measure.GroupCode;
            row[6] = measure.Numerator;
            row[7] = measure.Denominator;
            await statement.Bind(row).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Releaser(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
