using System.Data;
using System.Data.Common;
using Dapper;
using DbUp;
using Microsoft.Data.SqlClient;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Store;

/// <summary>SQL Server / Azure SQL. Measures go in through <see cref="SqlBulkCopy"/> into a session temp table, then one insert.</summary>
public sealed class SqlServerStore(string connectionString, ReferenceData reference, StoreSettings settings, TimeProvider time)
    : SqlPipelineStore(reference, settings, time)
{
    // Resolved now, so a sign-in mode this build cannot perform fails when the host starts, not at the first query.
    private readonly SqlConnectionPlan _signIn = SqlServerConnections.Plan(connectionString);

    public override string Engine => "sqlserver";

    /// <summary>How connections sign in (token or connection-string credentials).</summary>
    public SqlConnectionPlan SignIn => _signIn;

    public override string Describe() => SqlServerConnections.Describe(connectionString);

    // updlock+holdlock: two loads of the same organisation-month serialise here instead of both becoming current.
    protected override string CurrentForUpdateSql =>
        base.CurrentForUpdateSql.Replace("from submission where", "from submission with (updlock, holdlock) where", StringComparison.Ordinal);

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = SqlServerConnections.Create(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Makes an Entra principal (the app's managed identity) a database user with the roles the app needs: read and write
    /// data, and create tables and views (the app applies its own migrations). Idempotent. Must run as an Entra
    /// administrator of the server (<c>pipeline migrate --app-user</c>, run by the deployment). With
    /// <paramref name="objectId"/> (the identity's principal id) SQL need not look the name up in Entra, which the server
    /// could only do with directory read permission.
    /// </summary>
    public async Task EnsureAppUserAsync(string name, Guid? objectId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Length > 128)
        {
            throw new ArgumentException($"'{name}' is longer than a SQL user name may be (128 characters).", nameof(name));
        }

        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                EnsureAppUserSql, new { name, objectId = objectId?.ToString("D") }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    // CREATE USER and ALTER ROLE take no parameters for names, so the statements are built inside T-SQL with QUOTENAME
    // from the parameters (never from C# strings), and the object id is checked by converting it to uniqueidentifier.
    internal const string EnsureAppUserSql =
        """
        declare @sql nvarchar(max);
        if database_principal_id(@name) is null
        begin
            set @sql = N'create user ' + quotename(@name) + N' from external provider'
                + case when @objectId is null then N''
                       else N' with object_id = ' + quotename(convert(nvarchar(36), convert(uniqueidentifier, @objectId)), '''') end;
            exec sp_executesql @sql;
        end;
        set @sql = N'alter role db_datareader add member ' + quotename(@name) + N'; '
            + N'alter role db_datawriter add member ' + quotename(@name) + N'; '
            + N'alter role db_ddladmin add member ' + quotename(@name) + N';';
        exec sp_executesql @sql;
        """;

    // Function instances starting together would race to create the same tables: an application lock held by this session
    // lets one migrate while the others wait (sp_getapplock's timeout is in milliseconds), then find nothing left to do.
    internal const string MigrationLockSql =
        "declare @result int; exec @result = sp_getapplock @Resource = N'pipeline-migrations', @LockMode = N'Exclusive', " +
        "@LockOwner = N'Session', @LockTimeout = 300000; if @result < 0 throw 50001, N'Timed out waiting for another migration.', 1;";

    protected override void ApplySchemaMigrations()
    {
        using var holder = SqlServerConnections.Create(connectionString);
        holder.Open();
        using (var command = holder.CreateCommand())
        {
            command.CommandText = MigrationLockSql;
            command.CommandTimeout = 330;
            command.ExecuteNonQuery();
        }

        // Closing the session releases the lock.
        Migrations.Run(
            Migrations.Build(DeployChanges.To.SqlDatabase(() => SqlServerConnections.Create(connectionString)), Migrations.SqlServerFolder),
            Describe());
    }

    protected override object Timestamp(DateTimeOffset value) => SqlDialect.SqlServer.Timestamp(value);

    protected override object? Date(DateOnly? value) => value?.ToDateTime(TimeOnly.MinValue);

    protected override async Task BulkInsertMeasuresAsync(
        StoreSession session, string submissionId, Submission submission, CancellationToken cancellationToken)
    {
        var (connection, transaction) = (session.Connection, session.Transaction);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            create table #staging (
                indicator_code nvarchar(64) not null, breakdown varchar(16) not null, group_code nvarchar(8) not null,
                numerator bigint not null, denominator bigint not null)
            """,
            transaction: transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);

        using var table = new DataTable { Locale = System.Globalization.CultureInfo.InvariantCulture };
        table.Columns.Add("indicator_code", typeof(string));
        table.Columns.Add("breakdown", typeof(string));
        table.Columns.Add("group_code", typeof(string));
        table.Columns.Add("numerator", typeof(long));
        table.Columns.Add("denominator", typeof(long));
        foreach (var m in submission.Measures)
        {
            table.Rows.Add(m.IndicatorCode, m.Breakdown.ToWire(), m.GroupCode, m.Numerator, m.Denominator);
        }

        using (var bulk = new SqlBulkCopy((SqlConnection)connection, SqlBulkCopyOptions.TableLock, (SqlTransaction)transaction))
        {
            bulk.DestinationTableName = "#staging";
            bulk.BatchSize = 10_000;
            bulk.BulkCopyTimeout = 120;
            foreach (DataColumn column in table.Columns)
            {
                bulk.ColumnMappings.Add(column.ColumnName, column.ColumnName);
            }

            await bulk.WriteToServerAsync(table, cancellationToken).ConfigureAwait(false);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into measure (submission_id, organisation_code, reporting_period, indicator_code, breakdown, group_code, numerator, denominator)
            select @id, @org, @period, indicator_code, breakdown, group_code, numerator, denominator from #staging;
            drop table #staging;
            """,
            new { id = submissionId, org = submission.OrganisationCode, period = submission.ReportingPeriod.ToString() },
            transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }
}
