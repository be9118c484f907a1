using Microsoft.Data.Sqlite;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

public sealed class RecomputeCommandTests : IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-cli-").FullName;
    private readonly PipelineProcess _pipeline;

    public RecomputeCommandTests() => _pipeline = new PipelineProcess(_work);

    [Fact]
    public async Task Recompute_rebuilds_every_organisations_rows_with_progress_and_a_summary()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "in", "R0A", October.ToString())).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "equity.json"), SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)), TestContext.Current.CancellationToken);
        Assert.Equal(0, (await _pipeline.RunAsync("ingest", folder, "--data-dir", "d")).ExitCode);

        var (exit, output, error) = await _pipeline.RunAsync("recompute", "--from", "2026-10", "--data-dir", "d");

        Assert.True(exit == 0, output + error);
        // R0A, its LMNS and its region; 18 indicators × 2 breakdowns × 4 compared groups, and one gradient per indicator.
        Assert.Contains("[3/3] region ", error, StringComparison.Ordinal);
        Assert.Contains("recomputed 3 organisations over 1 month(s) from 2026-10: 432 group comparisons, 54 deprivation gradients", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_backfill_loads_without_detection_then_recomputes_once_to_the_same_rows_as_a_recompute()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "in", "R0A", October.ToString())).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "equity.json"), SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)), TestContext.Current.CancellationToken);

        var (exit, output, error) = await _pipeline.RunAsync("ingest", "--backfill", folder, "--data-dir", "d");

        Assert.True(exit == 0, output + error);
        Assert.Contains("backfill: recomputed 3 organisations over 1 month(s): 432 comparisons, 54 gradients", output, StringComparison.Ordinal);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_work, "d", "pipeline.db")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from v_group_comparison where period_end = '2026-10'";
        Assert.Equal(432L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task Recompute_with_a_bad_month_exits_2_and_shows_the_format()
    {
        var (exit, _, error) = await _pipeline.RunAsync("recompute", "--from", "last year");

        Assert.Equal(2, exit);
        Assert.Contains("use yyyy-MM", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }
}
