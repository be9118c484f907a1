using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Synthetic;
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
    public async Task Ingest_backfill_evaluates_the_alerts_once_with_one_email_per_recipient_group_and_a_recompute_of_the_same_data_writes_none()
    {
        var start = new Period(2025, 1);
        var submissions = new SubmissionGenerator(ReferenceData.Embedded).Generate(new SyntheticScenario
        {
            Seed = 7,
            Start = start,
            Months = 10,
            TrustCodes = ["R0A"],
            IndicatorCodes = ["smoking_at_booking"],
            Divergences = [new PlantedDivergence(Level.Organisation, "R0A", "smoking_at_booking", ComparisonBreakdown.EthnicGroup, "Black", 3.0, start)],
        });
        foreach (var submission in submissions)
        {
            var month = Directory.CreateDirectory(Path.Combine(_work, "in", "R0A", submission.ReportingPeriod.ToString())).FullName;
            await File.WriteAllBytesAsync(Path.Combine(month, "equity.json"), SampleSubmissions.ToJson(submission), TestContext.Current.CancellationToken);
        }

        Directory.CreateDirectory(Path.Combine(_work, "d"));
        var lmns = ReferenceData.Embedded.LmnsOf("R0A", start)!;
        await File.WriteAllTextAsync(
            Path.Combine(_work, "d", "contacts.csv"), $"scope,code,name,email\nlmns,{lmns},Lead,lead@nhs.example\ndefault,*,Inbox,inbox@nhs.example\n", TestContext.Current.CancellationToken);

        var (exit, output, error) = await _pipeline.RunAsync("ingest", "--backfill", Path.Combine(_work, "in"), "--data-dir", "d");

        Assert.True(exit == 0, output + error);
        // R0A and its LMNS go to the LMNS lead, the region to the default inbox: two recipient groups, one email each.
        var summary = Regex.Match(output, @"alerts: (\d+) event\(s\) written, (\d+) email\(s\) queued for 2 recipient group\(s\)\.");
        Assert.True(summary.Success, output);
        Assert.NotEqual("0", summary.Groups[1].Value);
        Assert.Equal("2", summary.Groups[2].Value);
        Assert.Equal(long.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture), Scalar("select count(*) from alert_event"));
        Assert.Equal(2L, Scalar("select count(*) from notification where kind = 'alerts'"));
        Assert.Equal(1L, Scalar("select count(*) from notification where kind = 'alerts' and recipients_json like '%lead@nhs.example%'"));
        Assert.True(Scalar("select count(*) from alert where status = 'firing'") > 0);

        (exit, output, error) = await _pipeline.RunAsync("recompute", "--data-dir", "d");

        Assert.True(exit == 0, output + error);
        Assert.Contains("[alerts 2/2] region ", error, StringComparison.Ordinal);
        Assert.Contains("alerts re-evaluated for 2 recipient group(s): 0 alert event(s) written, 0 email(s) queued", output, StringComparison.Ordinal);
        Assert.Equal(2L, Scalar("select count(*) from notification where kind = 'alerts'"));
    }

    [Fact]
    public async Task Recompute_with_a_bad_month_exits_2_and_shows_the_format()
    {
        var (exit, _, error) = await _pipeline.RunAsync("recompute", "--from", "last year");

        Assert.Equal(2, exit);
        Assert.Contains("use yyyy-MM", error, StringComparison.Ordinal);
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_work, "d", "pipeline.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }
}
