using Microsoft.SqlServer.TransactSql.ScriptDom;
using Pipeline.Adapters.Store;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>
/// SQL Server cannot run here, so every T-SQL text the SQL Server store can send is parsed with Microsoft's own T-SQL
/// parser (ScriptDom, SQL Server 2022 grammar; Azure SQL accepts it): the SqlServer and Shared migrations, and the
/// statements written in C# in the store code both engines share, the SQL Server store, and the app's alert steps. A
/// syntax error then fails here rather than only in the GitHub workflow's SQL Server run.
/// </summary>
public sealed partial class TSqlSyntaxTests
{
    // Source files whose SQL runs on SQL Server. SqliteStore.cs is SQLite's own (pragmas, its bulk insert).
    private static readonly string[] SqlServerSources =
    [
        "src/Pipeline.Adapters/Store/SqlPipelineStore.cs",
        "src/Pipeline.Adapters/Store/SqlServerStore.cs",
        "src/Pipeline.Adapters/Store/SqlAlertStore.cs",
        "src/Pipeline.Adapters/Store/SqlNotificationOutbox.cs",
        "src/Pipeline.Adapters/Store/SqlContactStore.cs",
        "src/Pipeline.Adapters/Store/ReferenceDataSync.cs",
        "src/Pipeline.Adapters/Store/DetectionRowReader.cs",
        "src/Pipeline.Adapters/Store/Detection/DetectionCounts.cs",
        "src/Pipeline.Adapters/Store/Detection/DetectionRows.cs",
        "src/Pipeline.App/Alerts/AlertEvaluator.cs",
        "src/Pipeline.App/Alerts/LateSubmissionCheck.cs",
    ];

    // Representative values for interpolation holes that are not same-file string constants (the holes
    // SqlConstructionScanTests allows): each is what the code puts there, e.g. a table name from a literal array.
    private static readonly Dictionary<string, string> HoleValues = new(StringComparer.Ordinal)
    {
        ["store.Dialect.Top(limit)"] = "top (100) ",
        ["store.Dialect.Limit(limit)"] = string.Empty,
        ["table"] = "indicator",
        ["keyColumn"] = "code",
        ["set"] = "name = @name, unit = @unit",
        ["string.Join(\", \", columns)"] = "name, unit",
        ["string.Join(\", \", columns.Select(c => \"@\" + c))"] = "@name, @unit",
        ["string.Join(\", \", columns.Select((_, i) => \"@p\" + i.ToString(CultureInfo.InvariantCulture)))"] = "@p0, @p1",
        ["string.Join(\", \", CountColumns)"] = "n1, n2, d1, d2",
        ["string.Join(\", \", CountColumns.Select(c => $\"sum({c})\"))"] = "sum(n1), sum(n2), sum(d1), sum(d2)",
        ["string.Join(\", \", Pivot())"] = "sum(case when group_code in ('a', '1') then numerator else 0 end), sum(case when group_code in ('a', '1') then denominator else 0 end)",
        ["filter"] = "s.id = @id",
        ["source"] = "submission s cross join measure m",
        ["where"] = "a.level = @level and a.organisation_code = @organisation",
        ["c"] = "n1",
    };

    public static TheoryData<string> MigrationNames() => [.. Migrations.Scripts(Migrations.SqlServerFolder).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(MigrationNames))]
    public void Every_sql_server_migration_parses_as_t_sql(string name)
    {
        var script = Migrations.Scripts(Migrations.SqlServerFolder).Single(s => s.Name == name);

        AssertParses(name, script.Contents);
    }

    [Fact]
    public void Every_sql_statement_written_in_the_sql_server_code_parses_as_t_sql()
    {
        var statements = SqlServerSources.SelectMany(f => CSharpSqlLiterals.Collect(RepositoryPaths.Combine(f.Split('/')), HoleValues)).ToList();

        Assert.All(statements, s => Assert.True(s.UnknownHoles.Count == 0, $"{s.File}:{s.Line}: no test value for {{{string.Join("}, {", s.UnknownHoles)}}}; add one to {nameof(HoleValues)}."));
        // Dapper sends "in @list" as "in (@list1, @list2, ...)".
        Assert.All(statements, s => AssertParses($"{s.File}:{s.Line}", DapperList().Replace(s.Sql, "in ($1_1, $1_2)")));
        // The collector sees the statements (so it is looking in the right place): a few known ones by their start.
        Assert.Contains(statements, s => s.Sql.Contains("insert into submission (id, organisation_code", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Sql.Contains("create table #staging", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Sql.Contains("from submission with (updlock, holdlock)", StringComparison.Ordinal) || s.File == "SqlServerStore.cs");
        Assert.Contains(statements, s => s.Sql.Contains("create user ' + quotename(@name)", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Sql.Contains("insert into detection_count (level, organisation_code", StringComparison.Ordinal));
        Assert.True(statements.Count >= 40, $"only {statements.Count} statements collected");
    }

    [Fact]
    public void The_update_lock_hint_the_sql_server_store_adds_parses()
    {
        // SqlServerStore rewrites the shared "current row" query with a lock hint at run time; parse the result.
        var shared = CSharpSqlLiterals.Collect(RepositoryPaths.Combine("src", "Pipeline.Adapters", "Store", "SqlPipelineStore.cs"), HoleValues)
            .First(s => s.Sql.StartsWith("select ", StringComparison.Ordinal) && s.Sql.Contains("from submission where organisation_code = @org and reporting_period = @period and status = 'accepted'", StringComparison.Ordinal));

        AssertParses("CurrentForUpdateSql", shared.Sql.Replace("from submission where", "from submission with (updlock, holdlock) where", StringComparison.Ordinal));
    }

    [Fact]
    public void The_parser_rejects_what_sql_server_would()
    {
        Assert.NotEmpty(Parse("insert into contact (scope) values ('lmns') on conflict (scope) do nothing"));
        Assert.NotEmpty(Parse("select id from submission where status = ;"));
        Assert.NotEmpty(Parse("create table t (id int not null primary key"));
        Assert.Empty(Parse("select top (5) id from submission where status = 'accepted'"));
    }

    private static void AssertParses(string where, string sql)
    {
        var errors = Parse(sql);
        Assert.True(errors.Count == 0, $"{where} is not valid T-SQL:\n" + string.Join('\n', errors.Select(e => $"  line {e.Line}, column {e.Column}: {e.Message}")) + "\n--- SQL ---\n" + sql);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bin\s+(@\w+)")]
    private static partial System.Text.RegularExpressions.Regex DapperList();

    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }
}
