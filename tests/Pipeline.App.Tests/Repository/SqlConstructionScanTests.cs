using System.Text.RegularExpressions;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Repository;

/// <summary>
/// SQL is parameterised: no statement in src/ is built by interpolating or concatenating a value. The few interpolations
/// that exist insert compile-time constants (column lists, table names from code); each is allow-listed here by file and
/// expression, so a new one fails this test until someone checks it is not input and adds it.
/// </summary>
public sealed partial class SqlConstructionScanTests
{
    private static readonly HashSet<(string File, string Hole)> Allowed =
    [
        // Constant column list and status condition shared by the store's queries.
        ("SqlPipelineStore.cs", "SubmissionColumns"),
        ("SqlPipelineStore.cs", "SettledCondition"),
        // Reference upserts: table and column names are string literals in ReferenceDataSync itself, never from data.
        ("ReferenceDataSync.cs", "table"),
        ("ReferenceDataSync.cs", "keyColumn"),
        ("ReferenceDataSync.cs", "set"),
        ("ReferenceDataSync.cs", "string.Join(\", \", columns)"),
        ("ReferenceDataSync.cs", "string.Join(\", \", columns.Select(c => \"@\" + c))"),
        // Detection: constant key condition, table names from literal arrays in code, column names from constant arrays.
        ("DetectionCounts.cs", "Key"),
        ("DetectionCounts.cs", "c"),
        ("DetectionRows.cs", "Key"),
        ("DetectionRows.cs", "table"),
        ("DetectionRowReader.cs", "Key"),
        ("DetectionRowReader.cs", "Holding"),
        ("DetectionRowReader.cs", "ComparisonColumns"),
        ("DetectionRowReader.cs", "GradientColumns"),
        // Alerts and the outbox: constant column lists; the private where-clause helper is only called with literals;
        // TOP (n) takes an int formatted invariantly.
        ("SqlAlertStore.cs", "AlertColumns"),
        ("SqlAlertStore.cs", "where"),
        ("SqlAlertStore.cs", "CheckpointSql"),
        ("SqlNotificationOutbox.cs", "Columns"),
        ("SqlNotificationOutbox.cs", "store.Dialect.Top(limit)"),
        // Not executed: example commands the demo prints for the user to try, naming their own data directory.
        ("DemoReport.cs", "database"),
        ("DemoReport.cs", "summary.End"),
        ("DemoReport.cs", "Path.Combine(dataDir, \"lake\", \"measures\")"),
        ("DetectionCounts.cs", "string.Join(\", \", CountColumns)"),
        ("DetectionRows.cs", "string.Join(\", \", columns)"),
        ("DetectionRows.cs", "string.Join(\", \", columns.Select((_, i) => \"@p\" + i.ToString(CultureInfo.InvariantCulture)))"),
    ];

    [Fact]
    public void No_sql_statement_interpolates_anything_but_allow_listed_constants()
    {
        var found = new List<string>();
        var seen = new HashSet<(string File, string Hole)>();
        foreach (var path in Directory.EnumerateFiles(RepositoryPaths.Combine("src"), "*.cs", SearchOption.AllDirectories))
        {
            var file = Path.GetFileName(path);
            foreach (Match literal in InterpolatedLiteral().Matches(File.ReadAllText(path)))
            {
                if (!SqlStatement().IsMatch(literal.Value))
                {
                    continue;
                }

                foreach (Match hole in Hole().Matches(literal.Value))
                {
                    var expression = hole.Groups[1].Value.Split(':')[0].Trim();
                    seen.Add((file, expression));
                    if (!Allowed.Contains((file, expression)))
                    {
                        found.Add($"{Path.GetRelativePath(RepositoryPaths.Root, path)}: {{{expression}}} in {literal.Value[..Math.Min(120, literal.Value.Length)]}");
                    }
                }
            }
        }

        Assert.True(found.Count == 0, "SQL built from expressions (use parameters, or allow-list a constant):\n" + string.Join('\n', found));
        // The scan sees the known constant interpolations (so it is looking in the right place), and the list holds no stale entry.
        Assert.Empty(Allowed.Except(seen));
    }

    [Fact]
    public void No_sql_statement_is_concatenated_with_a_variable()
    {
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(RepositoryPaths.Combine("src"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match m in ConcatenatedSql().Matches(File.ReadAllText(path)))
            {
                found.Add($"{Path.GetRelativePath(RepositoryPaths.Root, path)}: {m.Value}");
            }
        }

        Assert.True(found.Count == 0, "SQL concatenated with a variable:\n" + string.Join('\n', found));
    }

    [Fact]
    public void The_scan_recognises_the_shapes_it_forbids()
    {
        Assert.Matches(SqlStatement(), "$\"select * from submission where id = '{id}'\"");
        Assert.Equal("id", Hole().Match("$\"select * from submission where id = '{id}'\"").Groups[1].Value);
        Assert.Matches(ConcatenatedSql(), "\"select * from submission where id = '\" + id");
        var withQuotes = InterpolatedLiteral().Match("x = $\"select {string.Join(\", \", names)} from t where a = '{a}'\";").Value;
        Assert.Equal(["string.Join(\", \", names)", "a"], Hole().Matches(withQuotes).Select(m => m.Groups[1].Value));
        Assert.DoesNotMatch(ConcatenatedSql(), "\"select * from submission \" +\n \"where id = @id\"");
    }

    // $"…" (holes may hold quotes: {string.Join(", ", x)}), $@"…", @$"…" and $"""…""".
    [GeneratedRegex("""\$+@?\"\"\"[\s\S]*?\"\"\"|\$+@?"(?:\{\{|\{[^{}\n]*\}|[^"\\\n{]|\\.)*"|@\$"(?:[^"]|"")*\x22""", RegexOptions.None)]
    private static partial Regex InterpolatedLiteral();

    [GeneratedRegex(@"\b(select\b[\s\S]*\bfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|merge\s+into|exec(ute)?\s+\w)", RegexOptions.IgnoreCase)]
    private static partial Regex SqlStatement();

    [GeneratedRegex(@"(?<!\{)\{(?!\{)([^{}]+)\}")]
    private static partial Regex Hole();

    // A SQL-looking literal followed by + and something that is not another literal.
    [GeneratedRegex("""\"[^"\n]*\b(select|insert\s+into|update|delete\s+from|where|values)\b[^"\n]*\"\s*\+\s*(?![\s"$@])""", RegexOptions.IgnoreCase)]
    private static partial Regex ConcatenatedSql();
}
