using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Docs;

/// <summary>
/// Runs the analysts' queries of docs/querying.md (the files under docs/queries/) against a real migrated SQLite store and
/// a real Parquet lake holding the same submissions, so the documentation cannot drift from the schema. Store and lake
/// must agree where they answer the same question.
/// </summary>
public sealed partial class AnalystQueryTests : IDisposable
{
    private static readonly ReferenceData Reference = ReferenceData.Embedded;
    private static readonly Period September = new(2026, 9);
    private static readonly Period October = new(2026, 10);
    private static readonly IReadOnlyDictionary<string, object> StoreParameters = new Dictionary<string, object>
    {
        ["@organisation_code"] = "R0A",
        ["@period"] = "2026-10",
        ["@lmns_code"] = "QOP",
        ["@indicator_code"] = "stillbirth",
        ["@region_code"] = "Y62",
    };

    /// <summary>The views the detection wiring adds to the store, with the columns docs/querying.md documents.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> DocumentedColumns = new Dictionary<string, string[]>
    {
        ["v_group_comparison"] =
        [
            "level", "organisation_code", "indicator_code", "breakdown", "group_code", "reference_group_code", "window_months", "period_end",
            "numerator", "denominator", "value", "ci_lower", "ci_upper", "reference_value", "rate_ratio", "rr_ci_lower", "rr_ci_upper",
            "rr_ci_lower_998", "rr_ci_upper_998", "direction", "signal",
        ],
        ["v_deprivation_gradient"] =
        [
            "level", "organisation_code", "indicator_code", "window_months", "period_end", "sii", "sii_ci_lower", "sii_ci_upper",
            "rii", "rii_ci_lower", "rii_ci_upper", "signal",
        ],
    };

    private static readonly string[] DetectionViews = [.. DocumentedColumns.Keys];

    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-queries-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 10, 10, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_store_query_on_the_store_views_runs_on_sqlite_and_answers_its_question()
    {
        var (databasePath, loaded) = await LoadStoreAsync();
        var answers = new Dictionary<string, List<Dictionary<string, object?>>>();
        foreach (var query in Queries("store").Where(q => !ReadsDetectionViews(q.Sql)))
        {
            answers[query.Name] = RunSqlite(databasePath, query);
        }

        Assert.Equal(loaded.Single(s => s.Id == "r0a-oct-2").Submission.Measures.Count, answers["current_measures_for_trust"].Count);
        var qopTrusts = Reference.TrustsInLmns("QOP", October).ToList();
        var notOnTime = answers["missing_and_late_for_lmns"];
        Assert.Equal(qopTrusts.Count - 1, notOnTime.Count);
        Assert.Equal(("RMC", "late"), ((string)notOnTime.Last()["organisation_code"]!, (string)notOnTime.Last()["status"]!));
        Assert.All(notOnTime.SkipLast(1), row => Assert.Equal("missing", row["status"]));

        // The store's clock is 2026-11-20: October is last month, past its deadline; the deployment's region is R0A's and RMC's (Y62).
        var notSubmitted = answers["not_submitted_last_month"];
        var northWest = Reference.TrustsActiveIn(October).Where(t => Reference.RegionOf(t.Code, October) == "Y62").Select(t => t.Code);
        Assert.Equal(northWest.Except(["R0A", "RMC"]).Order(StringComparer.Ordinal), notSubmitted.Select(r
            => (string)r["organisation_code"]!).Order(StringComparer.Ordinal));
        Assert.All(notSubmitted, row => Assert.Equal(("missing", "Y62", "2026-11-15T23:59:59.9999999Z"), ((string)row["status"]!,
            (string)row["region_code"]!, (string)row["deadline_at"]!)));
        Assert.All(notSubmitted, row => Assert.Equal(Reference.LmnsOf((string)row["organisation_code"]!, October), row["lmns_code"]));

        var stillbirths = answers["monthly_stillbirth_rate_for_lmns"].Single(r => (string)r["reporting_period"]! == "2026-10");
        var currentOctober = loaded.Where(s => s.Id is "r0a-oct-2" or "rmc-oct").Select(s => s.Submission).ToList();
        Assert.Equal(TotalOf(currentOctober, "stillbirth", m => m.Numerator), (long)stillbirths["stillbirths"]!);
        Assert.Equal(TotalOf(currentOctober, "stillbirth", m => m.Denominator), (long)stillbirths["births"]!);

        Assert.All(answers["unknown_ethnicity_share"], r => Assert.True((double)r["unknown_share"]! > 0.10));
        var punctuality = answers["submission_punctuality_last_12_months"].Single(r => (string)r["organisation_code"]! == "R0A");
        Assert.Equal((2L, 0L), ((long)punctuality["on_time"]!, (long)punctuality["late"]!));
        var resubmitted = Assert.Single(answers["resubmission_history"]);
        Assert.Equal(("R0A", "2026-10", "accepted"), ((string)resubmitted["organisation_code"]!, (string)resubmitted["reporting_period"]!, (string)resubmitted["replacing_status"]!));
    }

    [Fact]
    public async Task Store_queries_on_the_comparison_views_run_against_the_documented_columns()
    {
        var (databasePath, _) = await LoadStoreAsync();

        // Until the detection wiring adds the views, stand in empty tables with exactly the columns docs/querying.md lists.
        foreach (var (view, columns) in DocumentedColumns.Where(v => !HasView(databasePath, v.Key)))
        {
            using var connection = new SqliteConnection($"Data Source={databasePath}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"create table {view} ({string.Join(", ", columns)})";
            command.ExecuteNonQuery();
        }

        var queries = Queries("store").Where(q => ReadsDetectionViews(q.Sql)).ToList();
        Assert.Equal(7, queries.Count);
        Assert.All(queries, q => RunSqlite(databasePath, q));
    }

    [Fact]
    public async Task Every_lake_query_runs_on_duckdb_and_agrees_with_the_store()
    {
        var (databasePath, loaded) = await LoadStoreAsync();
        var lake = new MeasureLake(new FileSystemObjectStore(_directory), Reference);
        foreach (var (id, submission) in loaded.Where(s => s.Id != "r0a-oct-1"))
        {
            await lake.WriteAsync(id, submission, current: true, Ct);
        }

        var answers = Queries("lake").ToDictionary(q => q.Name, q => LakeQuery.Rows(_directory, WithDuckDbParameters(q.Sql)));

        // The lake's LMNS rate for October is the store's (query 5): same current submissions, same membership.
        var storeAnswer = RunSqlite(databasePath, Queries("store").Single(q => q.Name == "monthly_stillbirth_rate_for_lmns"))
            .Single(r => (string)r["reporting_period"]! == "2026-10");
        var lakeAnswer = answers["lake_monthly_stillbirth_rate_by_lmns"].Single(r => (string)r[0]! == "QOP" && AsDate(r[1]) == October.FirstDay);
        Assert.Equal((long)storeAnswer["stillbirths"]!, AsLong(lakeAnswer[3]));
        Assert.Equal((double)storeAnswer["per_1000"]!, Convert.ToDouble(lakeAnswer[5], CultureInfo.InvariantCulture), 9);

        var blackWomen = loaded.Where(s => s.Id != "r0a-oct-1" && s.Submission.OrganisationCode == "R0A")
            .SelectMany(s => s.Submission.Measures)
            .Where(m => m.IndicatorCode == "booking_by_10_weeks" && m.Breakdown == Breakdown.EthnicCategory && Reference.FindEthnicCategory(m.GroupCode)!.BroadGroup == "Black")
            .Sum(m => m.Denominator);
        var r0a = answers["lake_black_vs_white_booking_by_trust"].Single(r => (string)r[0]! == "R0A");
        Assert.Equal(blackWomen, AsLong(r0a[2]));

        Assert.Equal(5, answers["lake_imd_quintile_rates_by_region"].Count(r => (string)r[0]! == "Y62"));
        Assert.Equal(3, answers["lake_unknown_ethnicity_share"].Count);
        var inventory = answers["lake_partition_inventory"];
        Assert.Equal(["2026-09", "2026-10"], inventory.Select(r => r[0]!.ToString()));
        Assert.Equal([1L, 2L], inventory.Select(r => AsLong(r[1])));
    }

    [Fact]
    public void The_documented_view_columns_are_the_ones_querying_md_lists()
    {
        var guide = File.ReadAllText(RepositoryPaths.Combine("docs", "querying.md"));

        Assert.All(DocumentedColumns.Values.SelectMany(c => c), column => Assert.Contains($"`{column}`", guide, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_column_of_every_view_in_a_migrated_store_is_documented_in_querying_md()
    {
        var store = SqliteStore.ForDataDirectory(_directory, Reference, new StoreSettings(DeadlineDay: 15), _time);
        await store.MigrateAsync(Ct);
        var guide = File.ReadAllText(RepositoryPaths.Combine("docs", "querying.md"));
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "pipeline.db")};Mode=ReadOnly");
        connection.Open();

        foreach (var view in new[] { "v_measure_current", "v_submission_status", "v_group_comparison", "v_deprivation_gradient" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"select * from {view} limit 0";
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            Assert.NotEmpty(columns);
            Assert.All(columns, column => Assert.True(guide.Contains($"`{column}`", StringComparison.Ordinal), $"{view}.{column} is not in docs/querying.md"));
        }
    }

    [Fact]
    public void Every_query_file_has_a_unique_name_a_question_and_its_parameters_and_is_quoted_in_querying_md()
    {
        var guide = File.ReadAllText(RepositoryPaths.Combine("docs", "querying.md")).ReplaceLineEndings("\n");
        var queries = Queries("store").Concat(Queries("lake")).ToList();

        Assert.Equal(20, queries.Count);
        Assert.Equal(queries.Count, queries.Select(q => q.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(queries, q =>
        {
            Assert.Matches("(?m)^-- question: .+[?.]$", q.Sql);
            Assert.Matches("(?m)^-- parameters: .+$", q.Sql);
            Assert.Matches("(?m)^-- engines: .+$", q.Sql);
            Assert.Contains(q.Sql.TrimEnd(), guide, StringComparison.Ordinal);
        });
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// A migrated store with R0A on time for September and October (October resubmitted: the first file superseded), and
    /// Bolton (RMC) late for October; the other QOP trusts have sent nothing.
    /// </summary>
    private async Task<(string DatabasePath, List<(string Id, Submission Submission)> Loaded)> LoadStoreAsync()
    {
        var store = SqliteStore.ForDataDirectory(_directory, Reference, new StoreSettings(DeadlineDay: 15), _time);
        await store.MigrateAsync(Ct);
        List<(string Id, Submission Submission)> loaded =
        [
            ("r0a-sep", SampleSubmissions.Typical("R0A", September, seed: 1)),
            ("r0a-oct-1", SampleSubmissions.Typical("R0A", October, seed: 2)),
            ("r0a-oct-2", SampleSubmissions.Typical("R0A", October, seed: 3)),
            ("rmc-oct", SampleSubmissions.Typical("RMC", October, seed: 4)),
        ];
        foreach (var (id, submission) in loaded)
        {
            if (id == "r0a-oct-1")
            {
                _time.SetUtcNow(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));
            }
            else if (id == "rmc-oct")
            {
                _time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
            }

            await store.BeginAttemptAsync(
                new NewSubmission(id, submission.OrganisationCode, submission.ReportingPeriod.ToString(), id + ".json",
                    $"submissions/{submission.OrganisationCode}/{submission.ReportingPeriod}/{id}.json", new string('0', 64), 10, _time.GetUtcNow()),
                Ct);
            await store.LoadAcceptedAsync(new AcceptedLoad(id, submission, new ValidationSummary(0, 0, null, [])), [], Ct);
            _time.Advance(TimeSpan.FromHours(1));
        }

        return (store.DatabasePath, loaded);
    }

    /// <summary>DuckDB sums BIGINT into HUGEINT (BigInteger); counts come back as long.</summary>
    private static long AsLong(object? value) => value is System.Numerics.BigInteger big ? (long)big : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static DateOnly? AsDate(object? value) => value switch
    {
        DateOnly date => date,
        DateTime time => DateOnly.FromDateTime(time),
        _ => null,
    };

    private static long TotalOf(IEnumerable<Submission> submissions, string indicator, Func<Measure, long> count) =>
        submissions.SelectMany(s => s.Measures).Where(m => m.IndicatorCode == indicator && m.Breakdown == Breakdown.Total).Sum(count);

    private static IEnumerable<(string Name, string Sql)> Queries(string folder) =>
        Directory.GetFiles(RepositoryPaths.Combine("docs", "queries", folder), "*.sql")
            .Order(StringComparer.Ordinal)
            .Select(path => File.ReadAllText(path).ReplaceLineEndings("\n"))
            .Select(sql => (NameLine().Match(sql).Groups[1].Value, sql));

    private static bool ReadsDetectionViews(string sql) => DetectionViews.Any(v => sql.Contains(v, StringComparison.Ordinal));

    private static bool HasView(string databasePath, string view)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from sqlite_master where name = $name";
        command.Parameters.AddWithValue("$name", view);
        return (long)command.ExecuteScalar()! > 0;
    }

    private static List<Dictionary<string, object?>> RunSqlite(string databasePath, (string Name, string Sql) query)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = query.Sql;
        foreach (Match parameter in StoreParameter().Matches(query.Sql))
        {
            var name = parameter.Value;
            Assert.True(StoreParameters.ContainsKey(name), $"{query.Name} uses {name}, which the test does not bind.");
            if (!command.Parameters.Contains(name))
            {
                command.Parameters.AddWithValue(name, StoreParameters[name]);
            }
        }

        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }

        return rows;
    }

    /// <summary>The lake queries' one parameter, bound as the literal its header gives as the example.</summary>
    private static string WithDuckDbParameters(string sql) => sql.Replace("$period_end", "DATE '2026-10-01'", StringComparison.Ordinal);

    [GeneratedRegex("^-- name: (\\S+)$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex("@[a-z_]+")]
    private static partial Regex StoreParameter();
}
