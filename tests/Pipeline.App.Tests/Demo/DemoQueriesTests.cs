using System.Globalization;
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
        ["@region_code"] = "Y62",
    };

    private readonly string _root = demo.Root;

    // Reading submission status brings the store's clock to the reader's; a week after the demo's last file, as a reader then would.
    private static readonly TimeProvider AfterTheDemo = new DemoClock(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    // Queries that may rightly answer nothing on a 13-month North West demo (no planted gap there, or none at the end).
    private static readonly HashSet<string> MayBeEmpty = new(StringComparer.Ordinal)
    {
        "trusts_alerting_black_booking", "deprivation_gradient_alerts", "unknown_ethnicity_share", "resubmission_history",
        "missing_and_late_for_lmns", "not_submitted_last_month",
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

        Assert.Equal(15, answered.Count);
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
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, AfterTheDemo);
        var trusts = services.Reference.TrustsInLmns("QOP", End).ToList();

        var model = await new Reporting.EquityReportService(services.Reference, services.Store, services.Objects, AfterTheDemo)
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

    [Fact]
    public void Widest_black_white_booking_gap_query_gives_each_lmns_trust_its_gap_recomputed_from_the_measures()
    {
        var reference = Core.Reference.ReferenceData.Embedded;
        var rows = Run("widest_black_white_booking_gap_in_lmns");
        var qopTrusts = reference.TrustsInLmns("QOP", End).ToHashSet(StringComparer.Ordinal);

        // The same 12 months' counts summed by hand from the current measures: Black and White broad groups of the ethnic categories.
        var sums = new Dictionary<(string Trust, string Group), (long Numerator, long Denominator)>();
        foreach (var (trust, group, numerator, denominator) in Measures(
            "select organisation_code, group_code, numerator, denominator from v_measure_current " +
            "where indicator_code = 'booking_by_10_weeks' " +
            "and breakdown = 'ethnic_category' and reporting_period between '2025-11' and '2026-10'"))
        {
            var broad = reference.FindEthnicCategory(group)?.BroadGroup;
            if (qopTrusts.Contains(trust) && broad is "Black" or "White")
            {
                var key = (trust, broad!);
                var (n, d) = sums.GetValueOrDefault(key);
                sums[key] = (n + numerator, d + denominator);
            }
        }

        double Percent(string trust, string group) => 100.0 * sums[(trust, group)].Numerator / sums[(trust, group)].Denominator;
        var expected = qopTrusts.Where(t => sums.ContainsKey((t, "Black")) && sums.ContainsKey((t, "White")))
            .Select(t => (Trust: t, Gap: Percent(t, "Black") - Percent(t, "White")))
            .OrderByDescending(x => Math.Abs(x.Gap)).ThenBy(x => x.Trust, StringComparer.Ordinal)
            .ToList();

        Assert.True(expected.Count >= 3, "the demo's QOP trusts have Black and White women in the window");
        Assert.Equal(expected.Select(x => x.Trust), rows.Select(r => (string)r["organisation_code"]!));
        Assert.All(expected.Zip(rows), pair =>
        {
            Assert.Equal(Percent(pair.First.Trust, "Black"), Convert.ToDouble(pair.Second["black_percent"], CultureInfo.InvariantCulture),
                9);
            Assert.Equal(Percent(pair.First.Trust, "White"), Convert.ToDouble(pair.Second["white_percent"], CultureInfo.InvariantCulture),
                9);
            Assert.Equal(pair.First.Gap, Convert.ToDouble(pair.Second["gap_points"], CultureInfo.InvariantCulture), 9);
            Assert.Equal(1L, pair.Second["window_complete"]);
        });
    }

    [Fact]
    public void Not_submitted_last_month_query_answers_for_the_latest_ended_month_by_the_pipelines_clock()
    {
        var reference = Core.Reference.ReferenceData.Embedded;

        // The demo's clock stopped at its last file (late November 2026): October has ended, November has not.
        Assert.Equal("2026-10", Text("select max(reporting_period) from v_submission_status"));
        var expected = reference.TrustsActiveIn(End).Where(t => reference.RegionOf(t.Code, End) == "Y62").Select(t => t.Code)
            .Except(Texts("select distinct organisation_code from submission where reporting_period = '2026-10' and status = 'accepted'"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var rows = Run("not_submitted_last_month");

        Assert.Equal(expected, rows.Select(r => (string)r["organisation_code"]!).Order(StringComparer.Ordinal));
        Assert.Equal(
            reference.TrustsActiveIn(End).Count(t => reference.RegionOf(t.Code, End) == "Y62"),
            Scalar("select count(*) from v_submission_status where reporting_period = '2026-10' and region_code = 'Y62'"));
        Assert.Equal(0L, Scalar("select count(*) from v_submission_status where region_code is null or region_code <> 'Y62'"));
    }

    [Fact]
    public void Region_preterm_sii_trend_query_gives_the_weighted_least_squares_slope_of_the_regions_quintile_rates()
    {
        var rows = Run("region_preterm_sii_trend");
        // Trusts send deciles or quintiles: deciles are mapped to quintiles by the reference table.
        var counts = Measures(
            "select m.reporting_period, coalesce(cast(d.quintile as text), m.group_code), m.numerator, m.denominator " +
            "from v_measure_current m " +
            "left join imd_decile d on m.breakdown = 'imd_decile' and cast(d.decile as text) = m.group_code " +
            "where m.indicator_code = 'preterm_birth' and m.breakdown in ('imd_decile', 'imd_quintile') and m.group_code <> 'U'").ToList();

        Assert.True(rows.Count >= 12, "a window per month of the demo");
        Assert.Equal(0L, rows[0]["window_complete"]);
        Assert.Equal(1L, rows[^1]["window_complete"]);
        foreach (var row in rows)
        {
            // docs/statistics.md §3 (PHEindicatormethods phe_sii): WLS of the quintile proportions on the cumulative midpoints b_i,
            // weights a_i; SII = multiplier × slope, oriented so that > 0 means the most deprived (Q1) fare worse.
            var end = Period.Parse((string)row["period_end"]!);
            var start = end.AddMonths(-(int)(long)row["window_months"]! + 1);
            var quintiles = Enumerable.Range(1, 5).Select(q => counts
                .Where(c => c.Group == q.ToString(CultureInfo.InvariantCulture) && Period.Parse(c.Key) >= start
                    && Period.Parse(c.Key) <= end)
                .Aggregate((N: 0L, D: 0L), (sum, c) => (sum.N + c.Numerator, sum.D + c.Denominator))).ToList();
            var total = (double)quintiles.Sum(q => q.D);
            var a = quintiles.Select(q => q.D / total).ToList();
            var b = a.Select((share, i) => a.Take(i).Sum() + (share / 2)).ToList();
            var y = quintiles.Select(q => (double)q.N / q.D).ToList();
            var (meanB, meanY) = (a.Zip(b, (w, x) => w * x).Sum(), a.Zip(y, (w, v) => w * v).Sum());
            var slope = Enumerable.Range(0, 5).Sum(i => a[i] * (b[i] - meanB) * (y[i] - meanY)) / Enumerable.Range(0, 5).Sum(i
                => a[i] * (b[i] - meanB) * (b[i] - meanB));

            Assert.Equal(-1000 * slope, Convert.ToDouble(row["sii"], CultureInfo.InvariantCulture), 6);
            Assert.Equal((long)row["months_present"]! >= (long)row["window_months"]! ? 1L : 0L, row["window_complete"]);
        }
    }

    [Fact]
    public async Task Report_and_pipeline_alerts_list_the_same_firing_alerts_for_an_lmns()
    {
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, AfterTheDemo);
        var model = await new Reporting.EquityReportService(services.Reference, services.Store, services.Objects, AfterTheDemo)
            .BuildAsync("QOP", End, TestContext.Current.CancellationToken);

        // What `pipeline alerts --state firing --lmns QOP` lists (the stored status; the demo's last evaluated month is its end),
        // limited to the equity rules the report shows, and to the LMNS and the trusts that belong to it then.
        var members = services.Reference.TrustsInLmns("QOP", End).ToHashSet(StringComparer.Ordinal);
        var listed = Rows("select level, organisation_code, indicator_code, breakdown, group_code, alert_rule, severity from alert " +
                "where status = 'firing' and route_scope = 'lmns' and route_code = 'QOP' and alert_rule in ('ratio', 'spc', 'gradient')")
            .Where(r => (string)r[0]! == "lmns" || members.Contains((string)r[1]!))
            .Select(r => (Fingerprint: string.Join('|', r.Take(6)), Severity: (string)r[6]!))
            .Order()
            .ToList();

        Assert.NotEmpty(listed);
        Assert.Equal(listed, model.Alerts.Select(a => (a.Fingerprint, a.Severity.ToString().ToLowerInvariant())).Order());
        Assert.All(model.Alerts, a => Assert.NotNull(a.Since));
    }

    private List<Dictionary<string, object?>> Run(string name)
    {
        var sql = Queries("store").Single(q => q.Name == name).Sql;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "pipeline.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in StoreParameter().Matches(sql).Select(m => m.Value).Distinct())
        {
            command.Parameters.AddWithValue(parameter, StoreParameters[parameter]);
        }

        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null
                : reader.GetValue(i)));
        }

        return rows;
    }

    private IEnumerable<(string Key, string Group, long Numerator, long Denominator)> Measures(string sql) =>
        Rows(sql).Select(r => ((string)r[0]!, (string)r[1]!, (long)r[2]!, (long)r[3]!));

    private List<string> Texts(string sql) => [.. Rows(sql).Select(r => (string)r[0]!)];

    private long Scalar(string sql) => (long)Rows(sql).Single()[0]!;

    private string Text(string sql) => (string)Rows(sql).Single()[0]!;

    private List<object?[]> Rows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_root, "pipeline.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray());
        }

        return rows;
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
            await new DemoRun(services.Reference, services.Objects, services.Processor, services.LateCheck, clock)
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
