using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Pipeline.App.Configuration;
using Pipeline.App.Demo;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Demo;

/// <summary>
/// Every query of docs/querying.md (docs/queries/) runs against what <c>pipeline demo</c> produces — its SQLite store and
/// its Parquet lake — and answers: the analysts' guide is checked against the demo's data, not only against hand-made rows.
/// </summary>
public sealed partial class DemoQueriesTests(DemoQueriesTests.DemoData demo) : IClassFixture<DemoQueriesTests.DemoData>
{
    private static readonly Period End = new(2026, 10);
    private static readonly Dictionary<string, object> StoreParameters = new()
    {
        ["@organisation_code"] = "R0A",
        ["@period"] = "2026-10",
        ["@lmns_code"] = "QOP",
        ["@indicator_code"] = "booking_by_10_weeks",
    };

    private readonly string _root = demo.Root;

    // Queries that may rightly answer nothing on a 13-month North West demo (no planted gap there, or none at the end).
    private static readonly HashSet<string> MayBeEmpty = new(StringComparer.Ordinal)
    {
        "trusts_alerting_black_booking", "deprivation_gradient_alerts", "unknown_ethnicity_share", "resubmission_history",
        "missing_and_late_for_lmns",
    };

    [Fact]
    public void Every_store_query_runs_on_the_demo_store_and_the_central_ones_answer()
    {
        var answered = new Dictionary<string, int>();
        foreach (var (name, sql) in Queries("store"))
        {
            using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "pipeline.db")};Mode=ReadOnly");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var parameter in StoreParameter().Matches(sql).Select(m => m.Value).Distinct())
            {
                command.Parameters.AddWithValue(parameter, StoreParameters[parameter]);
            }

            using var reader = command.ExecuteReader();
            var rows = 0;
            while (reader.Read())
            {
                rows++;
            }

            answered[name] = rows;
        }

        Assert.Equal(11, answered.Count);
        Assert.All(answered.Where(a => !MayBeEmpty.Contains(a.Key)), a => Assert.True(a.Value > 0, $"{a.Key} answered nothing on the demo's data"));
    }

    [Fact]
    public void Signals_per_lmns_counts_gradient_alerts_as_alerts_like_emails_and_reports_do()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "pipeline.db")};Mode=ReadOnly");
        connection.Open();
        long Scalar(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var (_, query) = Queries("store").Single(q => q.Name == "signals_per_lmns");
        var fromQuery = Scalar($"select coalesce(sum(alerts), 0) from ({query.TrimEnd().TrimEnd(';').Replace("order by alerts desc, watches desc, lmns_code", string.Empty, StringComparison.Ordinal)}) q");
        const string Latest = "(select max(period_end) from v_group_comparison)";
        var comparisons = Scalar($"select count(*) from v_group_comparison where signal = 'alert' and level in ('organisation', 'lmns') and period_end = {Latest}");
        var gradients = Scalar($"select count(*) from v_deprivation_gradient where signal = 'alert' and level in ('organisation', 'lmns') and period_end = {Latest}");

        Assert.Equal(comparisons + gradients, fromQuery);
    }

    [Fact]
    public void Comparison_and_gradient_rows_carry_the_lmns_and_region_in_force_that_month()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "pipeline.db")};Mode=ReadOnly");
        connection.Open();
        var reference = Core.Reference.ReferenceData.Embedded;
        foreach (var view in new[] { "v_group_comparison", "v_deprivation_gradient" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"select distinct level, organisation_code, period_end, lmns_code, region_code, window_complete, months_present, window_months from {view}";
            using var reader = command.ExecuteReader();
            var rows = 0;
            while (reader.Read())
            {
                rows++;
                var (level, code, period) = (reader.GetString(0), reader.GetString(1), Core.Model.Period.Parse(reader.GetString(2)));
                var lmns = reader.IsDBNull(3) ? null : reader.GetString(3);
                var region = reader.GetString(4);
                var (expectedLmns, expectedRegion) = level switch
                {
                    "organisation" => (reference.LmnsOf(code, period), reference.RegionOf(code, period)),
                    "lmns" => (code, reference.FindLmns(code, period)?.RegionCode),
                    _ => (null, code),
                };
                Assert.Equal(expectedLmns, lmns);
                Assert.Equal(expectedRegion, region);
                Assert.Equal(reader.GetInt64(6) >= reader.GetInt64(7) ? 1L : 0L, reader.GetInt64(5));
            }

            Assert.True(rows > 0, $"{view} is empty on the demo store");
        }
    }

    [Fact]
    public void Every_lake_query_runs_on_the_demo_lake_with_duckdb_and_answers()
    {
        var answered = Queries("lake").ToDictionary(q => q.Name, q => LakeQuery.Rows(_root, q.Sql.Replace("$period_end", "DATE '2026-10-01'", StringComparison.Ordinal)).Count);

        Assert.Equal(5, answered.Count);
        Assert.All(answered, a => Assert.True(a.Value > 0, $"{a.Key} answered nothing on the demo's lake"));
    }

    [Fact]
    public async Task Equity_report_reads_the_lmns_and_its_trusts_rows_from_the_demo_store()
    {
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, TimeProvider.System);
        var trusts = services.Reference.TrustsInLmns("QOP", End).ToList();

        var model = await new Reporting.EquityReportService(services.Reference, services.Store, services.Objects, TimeProvider.System)
            .BuildAsync("QOP", End, TestContext.Current.CancellationToken);

        using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "pipeline.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"select count(*) from v_group_comparison where period_end = '2026-10' and "
            + $"((level = 'lmns' and organisation_code = 'QOP') or (level = 'organisation' and organisation_code in ({string.Join(", ", trusts.Select(t => $"'{t}'"))})))";
        var expected = (long)command.ExecuteScalar()!;
        Assert.True(expected > 0);
        Assert.Equal(expected, model.Comparisons.Count);
        Assert.NotEmpty(model.Gradients);
        // Every firing signal says since when, from the alert store (never "not recorded").
        Assert.NotEmpty(model.Alerts);
        Assert.All(model.Alerts, a => Assert.True(a.Since is { } since && since <= End, $"{a.Fingerprint} has no firing-since period"));
    }

    private static IEnumerable<(string Name, string Sql)> Queries(string folder) =>
        Directory.GetFiles(RepositoryPaths.Combine("docs", "queries", folder), "*.sql")
            .Order(StringComparer.Ordinal)
            .Select(path => File.ReadAllText(path).ReplaceLineEndings("\n"))
            .Select(sql => (NameLine().Match(sql).Groups[1].Value, sql));

    [GeneratedRegex("^-- name: (\\S+)$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex("@[a-z_]+")]
    private static partial Regex StoreParameter();

    /// <summary>One demo run (North West, 13 months) shared by the tests of this class.</summary>
    public sealed class DemoData : IAsyncLifetime
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("pipeline-demo-queries-").FullName;

        public async ValueTask InitializeAsync()
        {
            var clock = new DemoClock(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
            var services = PipelineServices.Create(new PipelineOptions { DataDirectory = Root }, clock);
            await services.Store.MigrateAsync(TestContext.Current.CancellationToken);
            await new DemoRun(services.Reference, services.Objects, services.Processor, clock)
                .RunAsync(new DemoOptions { RegionCode = "Y62", Months = 13, End = End }, null, TestContext.Current.CancellationToken);
        }

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Root, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
