using System.Data.Common;
using Dapper;
using Pipeline.Adapters.Store.Detection;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Store;

/// <summary>
/// The store's unit of work: one open transaction, and everything a step may read or write inside it, named for what it
/// answers. Steps after a load or a rejection, the full recompute and the commands get one of these, never a connection, so
/// every statement stays in the store (docs/architecture.md). Committed by whoever opened it, when the work returns.
/// </summary>
public sealed class StoreSession : IAsyncDisposable
{
    private readonly Dictionary<string, SessionStatement> _statements = new(StringComparer.Ordinal);

    internal StoreSession(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
    }

    /// <summary>"sqlite" or "sqlserver".</summary>
    public string Engine => Dialect.Engine;

    internal DbConnection Connection { get; }

    internal DbTransaction Transaction { get; }

    internal SqlDialect Dialect { get; }

    /// <summary>
    /// The statement for <paramref name="sql"/>, created (and on SQLite prepared) at its first use in this transaction and
    /// reused after: per-row statements are compiled once per transaction instead of once per row. Parameters are bound by
    /// position in the order of <paramref name="parameterNames"/> (as written in the SQL, with their prefix).
    /// </summary>
    internal SessionStatement Statement(string sql, params string[] parameterNames)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            var command = Connection.CreateCommand();
            command.Transaction = Transaction;
            command.CommandText = sql;
            statement = new SessionStatement(command, parameterNames);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>Releases the statements kept for the transaction (finalizes SQLite's prepared statements).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var statement in _statements.Values)
        {
            await statement.DisposeAsync().ConfigureAwait(false);
        }

        _statements.Clear();
    }

    /// <summary>Alert states, their events and silences.</summary>
    public SqlAlertStore Alerts => new(this);

    /// <summary>Which monthly digests have gone out.</summary>
    public SqlDigestStore Digests => new(this);

    /// <summary>The reports alert emails link to, and whether each is published yet.</summary>
    public SqlReportPublications ReportPublications => new(this);

    /// <summary>Detection's stored rows (comparisons, gradients, findings) as the alert step reads them.</summary>
    public DetectionRowReader DetectionResults => new(this);

    /// <summary>The monthly broad-group counts detection evaluates.</summary>
    public DetectionCounts Counts(ReferenceData reference) => new(this, reference);

    /// <summary>Replaces detection's rows; <paramref name="computedAt"/> is stamped on every row written.</summary>
    public DetectionRows DetectionWriter(DateTimeOffset computedAt) => new(this, computedAt);

    /// <summary>Every alert contact in the store (none when routing falls back to the contacts file).</summary>
    public Task<IReadOnlyList<Contact>> ListContactsAsync(CancellationToken cancellationToken) =>
        SqlContactStore.ListAsync(Connection, Transaction, cancellationToken);

    /// <summary>Queues a notification in the outbox with what caused it; an id already queued changes nothing.</summary>
    public Task<bool> AddNotificationAsync(Notification notification, CancellationToken cancellationToken) =>
        SqlNotificationOutbox.AddAsync(this, notification, cancellationToken);

    /// <summary>
    /// Trust-months from <paramref name="from"/> on with a rejected submission and no accepted one (few: a rejection is
    /// usually followed by a corrected file), for the inhibitions and <c>data_quality</c> alerts they raise.
    /// </summary>
    public async Task<IReadOnlyList<RejectedMonth>> RejectedMonthsAsync(Period from, CancellationToken cancellationToken)
    {
        var rows = await Connection.QueryAsync<(string Trust, string Period, int Errors)>(new CommandDefinition(
            """
            select s.organisation_code, s.reporting_period, max(s.error_count) from submission s
            where s.status = 'rejected' and s.reporting_period >= @from
              and not exists (select 1 from submission a where a.organisation_code = s.organisation_code and a.reporting_period = s.reporting_period and a.status = 'accepted')
            group by s.organisation_code, s.reporting_period
            """,
            new { from = from.ToString() },
            Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Where(r => Period.TryParse(r.Period, out _)).Select(r => new RejectedMonth(r.Trust, Period.Parse(r.Period), r.Errors))];
    }

    /// <summary>The trusts with an accepted submission for <paramref name="period"/>.</summary>
    public async Task<IReadOnlySet<string>> TrustsWithAcceptedSubmissionAsync(Period period, CancellationToken cancellationToken)
    {
        var rows = await Connection.QueryAsync<string>(new CommandDefinition(
            "select distinct organisation_code from submission where reporting_period = @period and status = 'accepted'",
            new { period = period.ToString() },
            Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every trust-month from <paramref name="from"/> on with a submission, and whether one of them was accepted.</summary>
    public async Task<IReadOnlyList<SubmittedMonth>> SubmittedTrustMonthsAsync(Period from, CancellationToken cancellationToken)
    {
        var rows = await Connection.QueryAsync<(string Trust, string Period, long Accepted)>(new CommandDefinition(
            """
            select organisation_code, reporting_period, cast(max(case when status = 'accepted' then 1 else 0 end) as bigint) from submission
            where reporting_period >= @from and status in ('accepted', 'rejected')
            group by organisation_code, reporting_period
            """,
            new { from = from.ToString() },
            Transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Where(r => Period.TryParse(r.Period, out _))
            .Select(r => new SubmittedMonth(r.Trust, Period.Parse(r.Period), r.Accepted == 1))];
    }

    /// <summary>The earliest month any file was accepted or rejected for; null before the first.</summary>
    public async Task<Period?> FirstSubmittedMonthAsync(CancellationToken cancellationToken)
    {
        var first = await Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select min(reporting_period) from submission where status in ('accepted', 'rejected')", transaction: Transaction,
            cancellationToken: cancellationToken))
            .ConfigureAwait(false);
        return Period.TryParse(first, out var period) ? period : null;
    }
}

/// <summary>A trust-month with at least one processed file; <see cref="Accepted"/> when one of them was accepted.</summary>
public sealed record SubmittedMonth(string Trust, Period Period, bool Accepted);

/// <summary>A trust-month whose only submissions were rejected, with the most errors any of them had.</summary>
public sealed record RejectedMonth(string Trust, Period Period, int Errors);
