using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

public sealed class IngestStatusMigrateCommandTests : IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-cli-").FullName;
    private readonly PipelineProcess _pipeline;

    public IngestStatusMigrateCommandTests() => _pipeline = new PipelineProcess(_work);

    [Fact]
    public async Task Ingest_of_accepted_files_exits_0_and_fills_the_default_data_directory()
    {
        WriteSubmission("R0A", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));
        WriteSubmission("R0B", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0B", October, 2)));

        var (exit, output, error) = await _pipeline.RunAsync("ingest", Path.Combine(_work, "in"));

        Assert.True(exit == 0, output + error);
        Assert.Contains("[2/2]", error, StringComparison.Ordinal);
        Assert.Contains("accepted", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_work, "pipeline-data", "pipeline.db")));
        Assert.True(File.Exists(Path.Combine(_work, "pipeline-data", "submissions", "R0A", "2026-10", "equity.json")));
    }

    [Fact]
    public async Task Ingest_exits_1_when_a_file_is_rejected_and_says_where_the_receipt_is()
    {
        var path = WriteSubmission("R0A", "not a submission"u8.ToArray());

        var (exit, output, _) = await _pipeline.RunAsync("ingest", path, "--data-dir", "data");

        Assert.Equal(1, exit);
        Assert.Contains("rejected: what to fix is in", output, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_work, "data", "reports", "R0A", "2026-10"), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_of_a_missing_path_exits_2_naming_it()
    {
        var (exit, _, error) = await _pipeline.RunAsync("ingest", "nowhere.json");

        Assert.Equal(2, exit);
        Assert.Contains("nowhere.json does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_json_lists_every_expected_trust_of_the_deployments_region_with_its_delivery()
    {
        await _pipeline.RunAsync("ingest", WriteSubmission("R0A", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1))));

        var (exit, output, error) = await _pipeline.RunAsync("status", "--period", "2026-10", "--json");

        Assert.True(exit == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        // No region configured: the deployment's region is the one whose trusts have sent files (R0A's).
        var reference = Core.Reference.ReferenceData.Embedded;
        var region = reference.RegionOf("R0A", October);
        Assert.Equal(reference.TrustsActiveIn(October).Count(t => reference.RegionOf(t.Code, October) == region), rows.Count);
        Assert.All(rows, r => Assert.Equal(region, r.GetProperty("region_code").GetString()));
        var r0a = rows.Single(r => r.GetProperty("organisation_code").GetString() == "R0A");
        Assert.NotEqual("missing", r0a.GetProperty("status").GetString());
        Assert.Equal(rows.Count - 1, rows.Count(r => r.GetProperty("status").GetString() == "missing"));
    }

    [Fact]
    public async Task Status_expects_the_configured_region_only_even_after_a_file_from_another()
    {
        _pipeline.Environment["Pipeline__Submissions__Regions__0"] = "y56";
        await _pipeline.RunAsync("ingest", WriteSubmission("R0A", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1))));

        var (exit, output, error) = await _pipeline.RunAsync("status", "--period", "2026-10", "--json");

        Assert.True(exit == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        var reference = Core.Reference.ReferenceData.Embedded;
        Assert.Equal(reference.TrustsActiveIn(October).Count(t => reference.RegionOf(t.Code, October) == "Y56"), rows.Count);
        Assert.DoesNotContain(rows, r => r.GetProperty("organisation_code").GetString() == "R0A");
    }

    [Fact]
    public async Task Status_with_an_unknown_configured_region_exits_2_naming_the_setting()
    {
        _pipeline.Environment["Pipeline__Submissions__Regions__0"] = "Y99";

        var (exit, _, error) = await _pipeline.RunAsync("status", "--period", "2026-10");

        Assert.Equal(2, exit);
        Assert.Contains("Pipeline:Submissions:Regions: Y99 is not an NHS England region code", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_with_a_first_period_that_is_not_a_month_exits_2_with_the_fix()
    {
        _pipeline.Environment["Pipeline__Submissions__FirstPeriod"] = "2025-13";

        var (exit, _, error) = await _pipeline.RunAsync("status", "--period", "2026-10");

        Assert.Equal(2, exit);
        Assert.Contains("Pipeline:Submissions:FirstPeriod: '2025-13' is not a month; write it as yyyy-MM", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_filtered_by_lmns_or_region_lists_only_the_trusts_that_belong_there_that_month()
    {
        await _pipeline.RunAsync("ingest", WriteSubmission("R0A", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1))));
        var reference = Core.Reference.ReferenceData.Embedded;
        var lmns = reference.LmnsOf("R0A", October)!;
        var region = reference.RegionOf("R0A", October)!;

        var byLmns = JsonDocument.Parse((await _pipeline.RunAsync("status", "--period", "2026-10", "--lmns", lmns, "--json")).Output).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("organisation_code").GetString()).ToList();
        var byRegion = JsonDocument.Parse((await _pipeline.RunAsync("status", "--period", "2026-10", "--region", region, "--json")).Output).RootElement.EnumerateArray()
            .Select(r => r.GetProperty("organisation_code").GetString()).ToList();

        Assert.Equal(reference.TrustsInLmns(lmns, October).Order(StringComparer.Ordinal), byLmns.Order(StringComparer.Ordinal));
        Assert.Contains("R0A", byLmns);
        Assert.Equal(
            reference.TrustsActiveIn(October).Where(t => reference.RegionOf(t.Code, October) == region).Select(t => t.Code).Order(StringComparer.Ordinal),
            byRegion.Order(StringComparer.Ordinal));
        Assert.True(byRegion.Count > byLmns.Count);
    }

    [Fact]
    public async Task Status_with_an_unknown_lmns_exits_2_and_says_what_to_give()
    {
        var (exit, _, error) = await _pipeline.RunAsync("status", "--period", "2026-10", "--lmns", "NOPE");

        Assert.Equal(2, exit);
        Assert.Contains("is not an LMNS in 2026-10", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_with_a_bad_period_exits_2_and_shows_the_format()
    {
        var (exit, _, error) = await _pipeline.RunAsync("status", "--period", "October");

        Assert.Equal(2, exit);
        Assert.Contains("use yyyy-MM", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_in_the_environment_exits_2_naming_the_setting()
    {
        _pipeline.Environment["Pipeline__Store__Provider"] = "oracle";

        var (exit, _, error) = await _pipeline.RunAsync("migrate");

        Assert.Equal(2, exit);
        Assert.Contains("Pipeline:Store:Provider is 'oracle'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_twice_succeeds_and_reports_the_store()
    {
        await _pipeline.RunAsync("migrate", "--data-dir", "d");

        var (exit, output, _) = await _pipeline.RunAsync("migrate", "--data-dir", "d");

        Assert.Equal(0, exit);
        Assert.Contains("schema up to date", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_exits_2_with_one_line_and_no_stack_trace()
    {
        Directory.CreateDirectory(Path.Combine(_work, "broken"));
        await File.WriteAllTextAsync(Path.Combine(_work, "broken", "pipeline.db"), new string('x', 4096), TestContext.Current.CancellationToken);

        var (exit, _, error) = await _pipeline.RunAsync("migrate", "--data-dir", "broken");

        Assert.Equal(2, exit);
        Assert.StartsWith("pipeline: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    private string WriteSubmission(string trust, byte[] content)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "in", trust, October.ToString())).FullName;
        var path = Path.Combine(folder, "equity.json");
        File.WriteAllBytes(path, content);
        return path;
    }
}
