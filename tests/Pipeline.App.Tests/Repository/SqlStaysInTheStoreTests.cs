using System.Text.RegularExpressions;
using Pipeline.App.Processing;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Repository;

/// <summary>
/// Every SQL statement lives in Pipeline.Adapters behind the store (docs/architecture.md): the application and the hosts
/// reach tables only through <c>IPipelineStore</c> and a <c>StoreSession</c>, never a connection, Dapper or SQL text.
/// </summary>
public sealed partial class SqlStaysInTheStoreTests
{
    private static readonly string[] DataAccessAssemblies = ["Dapper", "System.Data.Common", "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient"];

    private static readonly string[] HostFolders = ["src/Pipeline.App", "src/Pipeline.Cli", "src/Pipeline.Functions"];

    [Fact]
    public void The_application_assembly_references_no_data_access_library()
    {
        var referenced = typeof(SubmissionProcessor).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Empty(referenced.Intersect(DataAccessAssemblies));
    }

    [Fact]
    public void No_source_file_of_the_application_or_a_host_holds_sql_or_a_connection()
    {
        var offenders = HostFolders
            .SelectMany(folder => Directory.EnumerateFiles(RepositoryPaths.Combine(folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => File.ReadLines(path).Select((line, i) => (path, line, number: i + 1)))
            .Where(x => DataAccess().IsMatch(x.line) || (SqlStatement().IsMatch(x.line) && !IsPrintedExample(x.line)))
            .Select(x => $"{Path.GetRelativePath(RepositoryPaths.Root, x.path)}:{x.number}: {x.line.Trim()}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void The_scan_finds_sql_and_connections_where_they_are()
    {
        Assert.Matches(SqlStatement(), "    \"select distinct organisation_code from submission where reporting_period = @period\",");
        Assert.Matches(SqlStatement(), "\"delete from contact\"");
        Assert.Matches(DataAccess(), "using Dapper;");
        Assert.Matches(DataAccess(), "    DbConnection connection, DbTransaction transaction,");
        Assert.DoesNotMatch(SqlStatement(), "/// Selects the trusts from the reference data");
    }

    // The demo prints, for the user to try, a sqlite3 and a duckdb command line: text for a person, never executed.
    private static bool IsPrintedExample(string line) => line.Contains("sqlite3 ", StringComparison.Ordinal) || line.Contains("duckdb -c", StringComparison.Ordinal);

    [GeneratedRegex(@"\busing Dapper\b|\bDb(Connection|Transaction|Command)\b|\bSqliteConnection\b|\bSqlConnection\b")]
    private static partial Regex DataAccess();

    [GeneratedRegex(@"""[^""]*\b(select\s+[\w\s,.*()]+\s+from\s+\w+|insert\s+into\s+\w+|delete\s+from\s+\w+|update\s+\w+\s+set)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SqlStatement();
}
