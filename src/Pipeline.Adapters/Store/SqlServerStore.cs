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
    public override string Engine => "sqlserver";

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

    protected override void ApplySchemaMigrations() =>
        Migrations.Run(
            Migrations.Build(DeployChanges.To.SqlDatabase(() => SqlServerConnections.Create(connectionString)), Migrations.SqlServerFolder),
            Describe());

    protected override object Timestamp(DateTimeOffset value) => SqlDialect.SqlServer.Timestamp(value);

    protected override object? Date(DateOnly? value) => value?.ToDateTime(TimeOnly.MinValue);

    protected override async Task BulkInsertMeasuresAsync(
        DbConnection connection, DbTransaction transaction, string submissionId, Submission submission, CancellationToken cancellationToken)
    {
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
