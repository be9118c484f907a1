using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Storage;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Lake;

public sealed class MeasureLakeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-lake-").FullName;
    private readonly FileSystemObjectStore _store;
    private readonly MeasureLake _lake;

    public MeasureLakeTests()
    {
        _store = new FileSystemObjectStore(_root);
        _lake = new MeasureLake(_store, ReferenceData.Embedded);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Written_file_is_partitioned_by_period_and_organisation_with_typed_columns()
    {
        var submission = SampleSubmissions.Typical("R1K", new Period(2026, 4), seed: 3);

        var key = await _lake.WriteAsync("s1", submission, current: true, Ct);

        Assert.Equal("lake/measures/period=2026-04/organisation=R1K/s1.parquet", key);
        var types = Query("select column_name, column_type from (describe select * from read_parquet('lake/measures/**/*.parquet', hive_partitioning=true))")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("DATE", types["reporting_period"]);
        Assert.Equal("BIGINT", types["numerator"]);
        Assert.Equal("BIGINT", types["denominator"]);
        Assert.Equal(submission.Measures.Count, Scalar<long>("select count(*) from read_parquet('lake/measures/**/*.parquet', hive_partitioning=true)"));
    }

    [Fact]
    public async Task Rows_carry_the_classifications_in_force_for_their_month()
    {
        // R1K moved from LMNS QRV to Z9B2Z on 2026-04-01 (reference/organisation_membership.csv).
        await _lake.WriteAsync("march", SampleSubmissions.Typical("R1K", new Period(2026, 3), seed: 3), current: true, Ct);
        await _lake.WriteAsync("april", SampleSubmissions.Typical("R1K", new Period(2026, 4), seed: 3), current: true, Ct);

        var rows = Query(
            """
            select distinct period, strftime(reporting_period, '%Y-%m-%d'), lmns_code, region_code
            from read_parquet('lake/measures/**/*.parquet', hive_partitioning=true) order by 1
            """);

        Assert.Equal([("2026-03", "2026-03-01", "QRV", "Y56"), ("2026-04", "2026-04-01", "Z9B2Z", "Y56")],
            rows.Select(r => (r[0]!.ToString(), (string)r[1]!, (string)r[2]!, (string)r[3]!)));
        Assert.Equal(0L, Scalar<long>(
            """
            select count(*) from read_parquet('lake/measures/**/*.parquet')
            where (breakdown = 'ethnic_category' and broad_group is null)
               or (breakdown = 'imd_decile' and group_code <> 'U' and imd_quintile <> (cast(group_code as int) + 1) // 2)
               or (breakdown = 'imd_decile' and group_code = 'U' and imd_quintile is not null)
            """));
        Assert.Equal("Unknown", Scalar<string>("select distinct broad_group from read_parquet('lake/measures/**/*.parquet') where group_code = 'Z'"));
    }

    [Fact]
    public async Task Retiring_moves_other_files_out_of_the_readers_glob_and_keeps_them()
    {
        var period = new Period(2026, 10);
        await _lake.WriteAsync("old", SampleSubmissions.Typical("R0A", period, seed: 1), current: true, Ct);
        await _lake.WriteAsync("new", SampleSubmissions.Typical("R0A", period, seed: 2), current: true, Ct);

        var moved = await _lake.RetireOthersAsync("R0A", period, "new", Ct);

        Assert.Equal(["lake/superseded/measures/period=2026-10/organisation=R0A/old.parquet"], moved);
        Assert.Equal(["new"], Query("select distinct submission_id from read_parquet('lake/measures/**/*.parquet', hive_partitioning=true)").Select(r => (string)r[0]!));
        Assert.Equal(["old"], Query("select distinct submission_id from read_parquet('lake/superseded/**/*.parquet')").Select(r => (string)r[0]!));
        Assert.Empty(await _lake.RetireOthersAsync("R0A", period, "new", Ct));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private List<object?[]> Query(string sql) => LakeQuery.Rows(_root, sql);

    private T Scalar<T>(string sql) => LakeQuery.Scalar<T>(_root, sql);
}
