using System.Data.Common;
using System.Globalization;
using Dapper;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Store;

/// <summary>
/// What both engines share: the SQL is the same wherever the dialects agree; the engines supply connections, value
/// conversion (SQLite keeps dates as ISO text), schema migration and the bulk load of measures.
/// </summary>
public abstract class SqlPipelineStore : IPipelineStore
{
    private const string SubmissionColumns =
        "id, organisation_code, reporting_period, file_name, source_path, sha256, size_bytes, received_at, status, error_count, " +
        "warning_count, superseded_by, attempts, failure_reason, quarantine_path, submitted_by, processed_at";

    private const string GetSql = $"select {SubmissionColumns} from submission where id = @id";

    private const string DeleteMeasuresSql = "delete from measure where submission_id = @id";

    private const string SetOutcomeSql =
        """
        update submission set status = @status, superseded_by = @supersededBy, error_count = @errors, warning_count = @warnings,
               submitted_by = @submittedBy, failure_reason = null, processed_at = @now
        where id = @id
        """;

    private const string DeleteIssuesSql = "delete from validation_issue where submission_id = @id";

    private const string InsertIssueSql =
        """
        insert into validation_issue (submission_id, ordinal, code, severity, message, fix, json_pointer, line, column_name, sheet, cell, value, row_key, code_count)
        values (@submissionId, @ordinal, @code, @severity, @message, @fix, @jsonPointer, @line, @columnName, @sheet, @cell, @value, @rowKey, @codeCount)
        """;

    private static readonly string[] InsertIssueParameters =
    [
        "@submissionId", "@ordinal", "@code", "@severity", "@message", "@fix", "@jsonPointer", "@line", "@columnName", "@sheet",
        "@cell", "@value", "@rowKey", "@codeCount",
    ];

    private const string SettledCondition = "(status in ('accepted', 'rejected', 'superseded') or quarantine_path is not null)";

    protected SqlPipelineStore(ReferenceData reference, StoreSettings settings, TimeProvider time)
    {
        Reference = reference;
        Settings = settings;
        Time = time;
    }

    protected TimeProvider Time { get; }

    protected ReferenceData Reference { get; }

    protected StoreSettings Settings { get; }

    /// <summary>"sqlite" or "sqlserver".</summary>
    public abstract string Engine { get; }

    /// <summary>The engine's value conversions, for the alert store and the outbox.</summary>
    public SqlDialect Dialect => SqlDialect.For(Engine);

    public abstract string Describe();

    /// <summary>An open connection.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Waits for this process's turn to run a write transaction. Engines that allow one writer at a time queue them here, in
    /// order, instead of polling the file lock against a busy timeout (a short transaction could starve behind a stream of
    /// loads with their detection and alert steps); engines with row locking need no turn.
    /// </summary>
    protected internal virtual Task<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) => Task.FromResult<IDisposable?>(null);

    /// <summary>Applies the engine's embedded migration scripts (DbUp).</summary>
    protected abstract void ApplySchemaMigrations();

    /// <summary>The value to bind for an instant (always UTC).</summary>
    protected abstract object Timestamp(DateTimeOffset value);

    /// <summary>The value to bind for a calendar date.</summary>
    protected abstract object? Date(DateOnly? value);

    /// <summary>SQL selecting the current row for an organisation-month, locking it against a concurrent load where the engine needs that.</summary>
    protected virtual string CurrentForUpdateSql =>
        $"select {SubmissionColumns} from submission where organisation_code = @org and reporting_period = @period and status = 'accepted'";

    /// <summary>Inserts the measures of one submission inside the session's transaction.</summary>
    protected abstract Task BulkInsertMeasuresAsync(
        StoreSession session, string submissionId, Submission submission, CancellationToken cancellationToken);

    public Task MigrateAsync(CancellationToken cancellationToken)
    {
        ApplySchemaMigrations();
        return WriteAsync(
            async (session, ct) =>
            {
                await new ReferenceDataSync(session.Connection, session.Transaction, Date, ct).UpsertAsync(Reference).ConfigureAwait(false);
                await WriteCalendarAsync(session.Connection, session.Transaction, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    public Task<SubmissionRecord?> GetSubmissionAsync(string submissionId, CancellationToken cancellationToken) =>
        ReadAsync((session, ct) => GetAsync(session.Connection, session.Transaction, submissionId, ct), cancellationToken);

    public Task<SubmissionRecord> BeginAttemptAsync(NewSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return WriteAsync(
            async (session, ct) =>
            {
                var row = await BeginOneAsync(session, submission, ct).ConfigureAwait(false);
                await WriteClockAsync(session.Connection, session.Transaction, ct).ConfigureAwait(false);
                return row;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<SubmissionRecord>> BeginAttemptsAsync(IReadOnlyList<NewSubmission> submissions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        return WriteAsync<IReadOnlyList<SubmissionRecord>>(
            async (session, ct) =>
            {
                var rows = new List<SubmissionRecord>(submissions.Count);
                foreach (var submission in submissions)
                {
                    rows.Add(await BeginOneAsync(session, submission, ct).ConfigureAwait(false));
                }

                await WriteClockAsync(session.Connection, session.Transaction, ct).ConfigureAwait(false);
                return rows;
            },
            cancellationToken);
    }

    private async Task<SubmissionRecord> BeginOneAsync(StoreSession session, NewSubmission submission, CancellationToken ct)
    {
        var (connection, transaction) = (session.Connection, session.Transaction);
        // Insert-if-absent in SQL both engines accept; the id is the content's identity, so a redelivery finds its row.
        await connection.ExecuteAsync(Command(
            """
            insert into submission (id, organisation_code, reporting_period, file_name, source_path, sha256, size_bytes, received_at, status, attempts)
            select @Id, @OrganisationCode, @ReportingPeriod, @FileName, @SourcePath, @Sha256, @SizeBytes, @ReceivedAt, 'received', 0
            where not exists (select 1 from submission where id = @Id)
            """,
            new
            {
                submission.Id,
                OrganisationCode = Clip(submission.OrganisationCode, 64),
                ReportingPeriod = Clip(submission.ReportingPeriod, 32),
                FileName = Clip(submission.FileName, 400),
                SourcePath = Clip(submission.SourcePath, 800),
                submission.Sha256,
                submission.SizeBytes,
                ReceivedAt = Timestamp(submission.ReceivedAt),
            },
            transaction,
            ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(Command(
            $"update submission set attempts = attempts + 1, status = 'received' where id = @id and not {SettledCondition}",
            new { id = submission.Id },
            transaction,
            ct)).ConfigureAwait(false);
        return (await GetAsync(connection, transaction, submission.Id, ct).ConfigureAwait(false))!;
    }

    // Query-only: a batch prepares its files (this read included) while another batch's transaction runs (#18); on SQLite an
    // ordinary transaction would wait for that one's write lock.
    public async Task<SubmissionRecord?> FindCurrentAsync(string organisationCode, Period period, CancellationToken cancellationToken)
    {
        var rows = await QueryOnlyAsync(
            (session, ct) => QueryAsync(
                session.Connection,
                session.Transaction,
                $"select {SubmissionColumns} from submission " +
                "where organisation_code = @org and reporting_period = @period and status = 'accepted'",
                new { org = organisationCode, period = period.ToString() },
                ct),
            cancellationToken).ConfigureAwait(false);
        return rows.FirstOrDefault();
    }

    public Task<IReadOnlyList<SubmissionRecord>> ListSubmissionsAsync(string organisationCode, Period period, CancellationToken cancellationToken) =>
        QuerySubmissionsAsync(
            $"select {SubmissionColumns} from submission where organisation_code = @org and reporting_period = @period order by received_at, id",
            new { org = organisationCode, period = period.ToString() },
            cancellationToken);

    public Task RecordRejectedAsync(string submissionId, ValidationSummary report, CancellationToken cancellationToken) =>
        RecordRejectedAsync(submissionId, report, [], cancellationToken);

    public Task RecordRejectedAsync(string submissionId, ValidationSummary report, IReadOnlyList<IAfterReject> afterReject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(afterReject);
        return WriteAsync(
            async (session, ct) =>
            {
                var (connection, transaction) = (session.Connection, session.Transaction);
                var row = await GetAsync(connection, transaction, submissionId, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Submission {submissionId} was never received.");
                if (row.IsSettled)
                {
                    return false;
                }

                await ReplaceIssuesAsync(session, submissionId, report, ct).ConfigureAwait(false);
                await SetOutcomeAsync(session, submissionId, SubmissionStatus.Rejected, null, report, ct).ConfigureAwait(false);
                await AddNotificationsAsync(session, report, ct).ConfigureAwait(false);
                if (afterReject.Count > 0 && Period.TryParse(row.ReportingPeriod, out var period))
                {
                    // Take the same lock on the organisation-month a load takes (SQL Server: updlock, holdlock), so a load of
                    // the same month committing meanwhile is either seen by the steps (they then do nothing) or waits for
                    // this rejection and re-evaluates the month after it: never two writers deciding on stale alert state.
                    var current = await QueryAsync(connection, transaction, CurrentForUpdateSql, new { org = row.OrganisationCode, period = row.ReportingPeriod }, ct)
                        .ConfigureAwait(false);
                    var context = new AfterRejectContext(session, row.Id, row.OrganisationCode, period, HasAcceptedSubmission: current.Any());
                    foreach (var step in afterReject)
                    {
                        await step.AfterRejectAsync(context, ct).ConfigureAwait(false);
                    }
                }

                return true;
            },
            cancellationToken);
    }

    public Task<LoadResult> LoadAcceptedAsync(AcceptedLoad load, IReadOnlyList<IAfterLoad> afterLoad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(afterLoad);
        return WriteAsync(
            async (session, ct) =>
            {
                var (result, context) = await LoadOneAsync(session, load, ct).ConfigureAwait(false);
                if (context is not null)
                {
                    foreach (var step in afterLoad)
                    {
                        await step.AfterLoadAsync(context, ct).ConfigureAwait(false);
                    }
                }

                return result;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<LoadResult>> LoadAcceptedBatchAsync(
        IReadOnlyList<AcceptedLoad> loads, IReadOnlyList<IAfterLoad> afterLoad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loads);
        ArgumentNullException.ThrowIfNull(afterLoad);
        var months = loads.Select(l => (l.Submission.OrganisationCode, l.Submission.ReportingPeriod)).ToList();
        if (months.Distinct().Count() != months.Count)
        {
            throw new ArgumentException("A batch holds at most one submission per organisation-month.", nameof(loads));
        }

        return WriteAsync<IReadOnlyList<LoadResult>>(
            async (session, ct) =>
            {
                var results = new List<LoadResult>(loads.Count);
                var contexts = new List<AfterLoadContext>(loads.Count);
                foreach (var load in loads)
                {
                    var (result, context) = await LoadOneAsync(session, load, ct).ConfigureAwait(false);
                    results.Add(result);
                    if (context is not null)
                    {
                        contexts.Add(context);
                    }
                }

                if (contexts.Count > 0)
                {
                    var batch = new AfterLoadBatchContext(session, contexts);
                    foreach (var step in afterLoad)
                    {
                        await step.AfterLoadBatchAsync(batch, ct).ConfigureAwait(false);
                    }
                }

                return results;
            },
            cancellationToken);
    }

    // One submission's part of a load: measures, issues, status (and the one it replaces), its receipt email. Returns the
    // after-load context, or null when the submission was already settled (nothing changed, no step runs).
    private async Task<(LoadResult Result, AfterLoadContext? Context)> LoadOneAsync(
        StoreSession session, AcceptedLoad load, CancellationToken ct)
    {
        // Every statement here runs once per file of a batch: each is compiled once per transaction (StoreSession.Statement).
        var self = (await ReadSubmissionsAsync(session.Statement(GetSql, "@id").Bind(load.SubmissionId), ct).ConfigureAwait(false))
            .FirstOrDefault() ?? throw new InvalidOperationException($"Submission {load.SubmissionId} was never received.");
        if (self.IsSettled)
        {
            return (new LoadResult(self.Status, null, AlreadyLoaded: true), null);
        }

        await session.Statement(DeleteMeasuresSql, "@id").Bind(self.Id).ExecuteAsync(ct).ConfigureAwait(false);
        await BulkInsertMeasuresAsync(session, self.Id, load.Submission, ct).ConfigureAwait(false);
        await ReplaceIssuesAsync(session, self.Id, load.Report, ct).ConfigureAwait(false);

        var current = (await ReadSubmissionsAsync(
            session.Statement(CurrentForUpdateSql, "@org", "@period").Bind(self.OrganisationCode, self.ReportingPeriod), ct)
            .ConfigureAwait(false)).FirstOrDefault(r => r.Id != self.Id);

        string status;
        string? replaced = null;
        if (current is not null && current.IsLaterThan(self))
        {
            status = SubmissionStatus.Superseded;
            await SetOutcomeAsync(session, self.Id, status, current.Id, load.Report, ct).ConfigureAwait(false);
        }
        else
        {
            status = SubmissionStatus.Accepted;
            if (current is not null)
            {
                replaced = current.Id;
                await session.Statement("update submission set status = 'superseded', superseded_by = @by where id = @id", "@by", "@id")
                    .Bind(self.Id, current.Id)
                    .ExecuteAsync(ct).ConfigureAwait(false);
            }

            await SetOutcomeAsync(session, self.Id, status, null, load.Report, ct).ConfigureAwait(false);
        }

        await AddNotificationsAsync(session, load.Report, ct).ConfigureAwait(false);
        var context = new AfterLoadContext(session, self.Id, load.Submission, status, replaced);
        return (new LoadResult(status, replaced, AlreadyLoaded: false), context);
    }

    public Task RecordFailureAsync(string submissionId, string reason, string? quarantinePath, CancellationToken cancellationToken) =>
        WriteAsync(
            (session, ct) => session.Connection.ExecuteAsync(Command(
                $"""
                update submission set status = 'failed', failure_reason = @reason, quarantine_path = @quarantinePath, processed_at = @now
                where id = @id and not {SettledCondition}
                """,
                new { id = submissionId, reason = Clip(reason, 2000), quarantinePath, now = Timestamp(Now()) },
                session.Transaction,
                ct)),
            cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> ListSettledSourcesAsync(CancellationToken cancellationToken) =>
        QueryOnlyAsync<IReadOnlyDictionary<string, long>>(
            async (session, ct) =>
            {
                var rows = await session.Connection.QueryAsync<(string Path, long Size)>(Command(
                    $"select source_path, size_bytes from submission where {SettledCondition}", null, session.Transaction, ct)).ConfigureAwait(false);
                var settled = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var (path, size) in rows)
                {
                    settled[path] = size;
                }

                return settled;
            },
            cancellationToken);

    // The view reads "now" from the store (the application's clock), so the read first brings it up to date: a write.
    public Task<IReadOnlyList<SubmissionStatusRow>> GetSubmissionStatusAsync(Period period, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<SubmissionStatusRow>>(
            async (session, ct) =>
            {
                await WriteClockAsync(session.Connection, session.Transaction, ct).ConfigureAwait(false);
                var reader = await session.Connection.ExecuteReaderAsync(Command(
                    """
                    select reporting_period, organisation_code, organisation_name, lmns_code, deadline_at, first_accepted_at, last_received_at,
                           submission_count, rejected_count, current_submission_id, status, region_code
                    from v_submission_status where reporting_period = @period order by organisation_code
                    """,
                    new { period = period.ToString() },
                    session.Transaction,
                    ct)).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var rows = new List<SubmissionStatusRow>();
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        rows.Add(new SubmissionStatusRow(
                            reader.GetString(0),
                            reader.GetString(1),
                            reader.GetString(2),
                            reader.GetString(3),
                            reader.GetFieldValue<DateTimeOffset>(4),
                            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                            Convert.ToInt32(reader.GetValue(7), CultureInfo.InvariantCulture),
                            Convert.ToInt32(reader.GetValue(8), CultureInfo.InvariantCulture),
                            reader.IsDBNull(9) ? null : reader.GetString(9),
                            reader.GetString(10),
                            reader.IsDBNull(11) ? null : reader.GetString(11)));
                    }

                    return rows;
                }
            },
            cancellationToken);

    public Task<IReadOnlyList<CurrentMeasure>> GetCurrentMeasuresAsync(Period? period, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<CurrentMeasure>>(
            async (session, ct) => [.. await session.Connection.QueryAsync<CurrentMeasure>(Command(
                """
                select submission_id as SubmissionId, organisation_code as OrganisationCode, reporting_period as ReportingPeriod,
                       indicator_code as IndicatorCode, breakdown as Breakdown, group_code as GroupCode, numerator as Numerator, denominator as Denominator
                from v_measure_current where @period is null or reporting_period = @period
                order by reporting_period, organisation_code, indicator_code, breakdown, group_code
                """,
                new { period = period?.ToString() },
                session.Transaction,
                ct)).ConfigureAwait(false)],
            cancellationToken);

    public Task<IReadOnlyList<StoredIssue>> GetIssuesAsync(string submissionId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<StoredIssue>>(
            async (session, ct) => [.. await session.Connection.QueryAsync<StoredIssue>(Command(
                """
                select code as Code, severity as Severity, message as Message, row_key as RowKey, code_count as CodeCount
                from validation_issue where submission_id = @id order by ordinal
                """,
                new { id = submissionId },
                session.Transaction,
                ct)).ConfigureAwait(false)],
            cancellationToken);

    public Task RunInTransactionAsync(Func<StoreSession, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return WriteAsync(
            async (session, ct) =>
            {
                await work(session, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    /// <summary>
    /// The one place a write transaction is opened: waits for this process's write turn, runs <paramref name="work"/> in one
    /// transaction and commits when it returns (rolls back when it throws).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<StoreSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var turn = await EnterWriteAsync(cancellationToken).ConfigureAwait(false);
        return await InTransactionAsync(work, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own without taking a write turn: reads, and single statements
    /// that need no ordering against loads.
    /// </summary>
    public Task<T> ReadAsync<T>(Func<StoreSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InTransactionAsync(work, cancellationToken);
    }

    /// <summary>
    /// <see cref="ReadAsync{T}"/> for work that only reads: on SQLite its transaction does not take the write lock at its
    /// start, so it reads the last committed state while a long batch transaction writes, instead of queueing behind it
    /// (a blob-trigger invocation polling whether the drain has settled its file, #18).
    /// </summary>
    public Task<T> QueryOnlyAsync<T>(Func<StoreSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InTransactionAsync(work, cancellationToken, readOnly: true);
    }

    /// <summary>Begins the transaction of <see cref="QueryOnlyAsync{T}"/>; by default an ordinary one.</summary>
    protected virtual ValueTask<DbTransaction> BeginQueryOnlyAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(cancellationToken);

    private async Task<T> InTransactionAsync<T>(
        Func<StoreSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken, bool readOnly = false)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = readOnly
                ? await BeginQueryOnlyAsync(connection, cancellationToken).ConfigureAwait(false)
                : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var session = new StoreSession(connection, transaction, Dialect);
                await using (session.ConfigureAwait(false))
                {
                    var result = await work(session, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
            }
        }
    }

    protected static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    internal DateTimeOffset Now() => Time.GetUtcNow();

    private static async Task AddNotificationsAsync(StoreSession session, ValidationSummary report, CancellationToken cancellationToken)
    {
        foreach (var notification in report.Notifications)
        {
            await session.AddNotificationAsync(notification, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];

    private Task<IReadOnlyList<SubmissionRecord>> QuerySubmissionsAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        ReadAsync((session, ct) => QueryAsync(session.Connection, session.Transaction, sql, parameters, ct), cancellationToken);

    private async Task<SubmissionRecord?> GetAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, transaction, GetSql, new { id }, cancellationToken)
            .ConfigureAwait(false)).FirstOrDefault();

    private static async Task<IReadOnlyList<SubmissionRecord>> QueryAsync(
        DbConnection connection, DbTransaction? transaction, string sql, object parameters, CancellationToken cancellationToken) =>
        await ReadSubmissionsAsync(
            await connection.ExecuteReaderAsync(Command(sql, parameters, transaction, cancellationToken)).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    private static async Task<IReadOnlyList<SubmissionRecord>> ReadSubmissionsAsync(
        SessionStatement statement, CancellationToken cancellationToken) =>
        await ReadSubmissionsAsync(
            await statement.ReaderAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    // Read by hand: SQLite keeps instants as text, which both providers turn into DateTimeOffset through GetFieldValue.
    private static async Task<IReadOnlyList<SubmissionRecord>> ReadSubmissionsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        await using (reader.ConfigureAwait(false))
        {
            var rows = new List<SubmissionRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new SubmissionRecord(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetInt64(6),
                    reader.GetFieldValue<DateTimeOffset>(7),
                    reader.GetString(8),
                    reader.GetInt32(9),
                    reader.GetInt32(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.GetInt32(12),
                    reader.IsDBNull(13) ? null : reader.GetString(13),
                    reader.IsDBNull(14) ? null : reader.GetString(14),
                    reader.IsDBNull(15) ? null : reader.GetString(15),
                    reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16)));
            }

            return rows;
        }
    }

    private async Task SetOutcomeAsync(
        StoreSession session,
        string id,
        string status,
        string? supersededBy,
        ValidationSummary report,
        CancellationToken cancellationToken) =>
        await session.Statement(SetOutcomeSql, "@status", "@supersededBy", "@errors", "@warnings", "@submittedBy", "@now", "@id")
            .Bind(
                status,
                supersededBy,
                report.ErrorCount,
                report.WarningCount,
                report.SubmittedBy is { } by ? Clip(by, 320) : null,
                Timestamp(Now()),
                id)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);

    private static async Task ReplaceIssuesAsync(
        StoreSession session, string id, ValidationSummary report, CancellationToken cancellationToken)
    {
        await session.Statement(DeleteIssuesSql, "@id").Bind(id).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        var ordinal = 0;
        foreach (var group in report.Groups)
        {
            foreach (var e in group.Examples)
            {
                await session.Statement(InsertIssueSql, InsertIssueParameters)
                    .Bind(
                        id,
                        ordinal++,
                        e.Code,
                        e.Severity.ToString().ToLowerInvariant(),
                        Clip(e.Message, 2000),
                        Clip(e.Fix, 2000),
                        e.Location.JsonPointer is { } p ? Clip(p, 400) : null,
                        e.Location.Line,
                        e.Location.Column is { } c ? Clip(c, 200) : null,
                        e.Location.Sheet is { } s ? Clip(s, 200) : null,
                        e.Location.Cell,
                        e.Value is { } v ? Clip(v, 400) : null,
                        e.RowKey is { } k ? Clip(k, 400) : null,
                        group.Count)
                    .ExecuteAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Writes the application's clock where <c>v_submission_status</c> reads "now" (<c>pipeline_setting</c> 'clock_now', ISO-8601
    /// UTC text on both engines), so which months are due follows the TimeProvider, never the database server's clock.
    /// </summary>
    private async Task WriteClockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(Command("delete from pipeline_setting where name = 'clock_now'", null, transaction,
            cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(Command(
            "insert into pipeline_setting (name, value) values ('clock_now', @value)",
            new { value = Now().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) },
            transaction,
            cancellationToken)).ConfigureAwait(false);
    }

    private async Task WriteCalendarAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await WriteClockAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(Command("delete from pipeline_setting where name like 'deployment_region:%'", null, transaction,
            cancellationToken))
            .ConfigureAwait(false);
        await connection.ExecuteAsync(Command(
            "insert into pipeline_setting (name, value) values (@name, @value)",
            Settings.Regions.Select(r => new { name = "deployment_region:" + r, value = r }).ToList(),
            transaction,
            cancellationToken)).ConfigureAwait(false);
        const string ClearFirstPeriod = "delete from pipeline_setting where name = 'first_period'";
        await connection.ExecuteAsync(Command(ClearFirstPeriod, null, transaction, cancellationToken)).ConfigureAwait(false);
        if (Settings.FirstPeriod is { } first)
        {
            await connection.ExecuteAsync(Command(
                    "insert into pipeline_setting (name, value) values ('first_period', @value)",
                    new { value = first.ToString() },
                    transaction,
                    cancellationToken))
                .ConfigureAwait(false);
        }

        await connection.ExecuteAsync(Command("delete from pipeline_setting where name = 'submission_deadline_day'", null, transaction, cancellationToken))
            .ConfigureAwait(false);
        await connection.ExecuteAsync(Command(
            "insert into pipeline_setting (name, value) values ('submission_deadline_day', @value)",
            new { value = Settings.DeadlineDay.ToString(CultureInfo.InvariantCulture) },
            transaction,
            cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(Command("delete from reporting_month", null, transaction, cancellationToken)).ConfigureAwait(false);
        var months = new List<object>();
        for (var p = Settings.CalendarFrom; p <= Settings.CalendarTo; p = p.AddMonths(1))
        {
            months.Add(new { period = p.ToString(), firstDay = Date(p.FirstDay), lastDay = Date(p.LastDay), deadlineAt = Timestamp(Settings.DeadlineFor(p)) });
        }

        await connection.ExecuteAsync(Command(
            "insert into reporting_month (period, first_day, last_day, deadline_at) values (@period, @firstDay, @lastDay, @deadlineAt)",
            months,
            transaction,
            cancellationToken)).ConfigureAwait(false);
    }
}
