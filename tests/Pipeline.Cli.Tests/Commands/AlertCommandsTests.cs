using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

/// <summary><c>pipeline alerts</c>, <c>silence add|list|remove</c> and <c>notify</c> as a user runs them (the real executable).</summary>
public sealed class AlertCommandsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-cli-alerts-").FullName;
    private readonly PipelineProcess _pipeline;

    public AlertCommandsTests() => _pipeline = new PipelineProcess(_work);

    [Fact]
    public async Task A_silence_added_is_listed_with_its_pattern_reason_and_author_and_is_gone_after_remove()
    {
        var (exit, output, error) = await _pipeline.RunAsync("silence", "add", "--match", "organisation|R0A", "--reason", "known coding issue", "--author", "A. Analyst", "--days", "7");
        Assert.True(exit == 0, error);
        var id = output.Split(':')[0].Trim();

        var listed = JsonDocument.Parse((await _pipeline.RunAsync("silence", "list", "--json")).Output).RootElement.EnumerateArray().Single();
        Assert.Equal((id, "organisation|R0A|*|*|*|*", "known coding issue", "A. Analyst", true),
            (listed.GetProperty("id").GetString(), listed.GetProperty("match").GetString(), listed.GetProperty("reason").GetString(),
             listed.GetProperty("author").GetString(), listed.GetProperty("active").GetBoolean()));

        Assert.Equal(0, (await _pipeline.RunAsync("silence", "remove", id)).ExitCode);
        Assert.Empty(JsonDocument.Parse((await _pipeline.RunAsync("silence", "list", "--json", "--all")).Output).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task A_bad_silence_pattern_or_unknown_id_exits_2_saying_what_to_do()
    {
        var (exit, _, error) = await _pipeline.RunAsync("silence", "add", "--match", "a|b|c|d|e|f|g", "--reason", "r", "--author", "me");
        Assert.Equal(2, exit);
        Assert.Contains("up to six |-separated fields", error, StringComparison.Ordinal);

        (exit, _, error) = await _pipeline.RunAsync("silence", "remove", "s-nope");
        Assert.Equal(2, exit);
        Assert.Contains("there is no silence 's-nope'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_with_a_bad_state_exits_2_and_an_empty_store_lists_none()
    {
        Assert.Equal(2, (await _pipeline.RunAsync("alerts", "--state", "open")).ExitCode);

        var (exit, output, error) = await _pipeline.RunAsync("alerts", "--state", "firing", "--json");

        Assert.True(exit == 0, error);
        Assert.Empty(JsonDocument.Parse(output).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Notify_without_an_smtp_host_writes_the_receipt_as_an_eml_file_and_a_second_run_sends_nothing()
    {
        var submission = SampleSubmissions.Typical("R0A", new Period(2026, 10), 1) with { SubmittedBy = "analyst@trust.example" };
        var folder = Directory.CreateDirectory(Path.Combine(_work, "in", "R0A", "2026-10")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "equity.json"), SampleSubmissions.ToJson(submission), TestContext.Current.CancellationToken);
        Assert.Equal(0, (await _pipeline.RunAsync("ingest", folder)).ExitCode);

        var (exit, output, error) = await _pipeline.RunAsync("notify");

        Assert.True(exit == 0, error);
        Assert.True(output.Contains("1 sent, 0 failed, via .eml files", StringComparison.Ordinal), output);
        Assert.True(output.Contains("to analyst@trust.example: Submission accepted with warnings: R0A 2026-10", StringComparison.Ordinal), output);
        var eml = Assert.Single(Directory.GetFiles(Path.Combine(_work, "pipeline-data", "outbox"), "*.eml"));
        Assert.Contains("analyst@trust.example", await File.ReadAllTextAsync(eml, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Contains("0 sent, 0 failed", (await _pipeline.RunAsync("notify")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notify_check_late_queues_one_email_per_lmns_listing_missing_trusts_and_sends_them()
    {
        Directory.CreateDirectory(Path.Combine(_work, "pipeline-data"));
        await File.WriteAllTextAsync(Path.Combine(_work, "pipeline-data", "contacts.csv"), "scope,code,name,email\ndefault,*,Inbox,inbox@nhs.example\n", TestContext.Current.CancellationToken);

        var (exit, output, error) = await _pipeline.RunAsync("notify", "--check-late");

        Assert.True(exit == 0, error);
        var queued = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"(\d+) email\(s\) queued").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(queued > 0, output);
        Assert.Equal(queued, Directory.GetFiles(Path.Combine(_work, "pipeline-data", "outbox"), "*.eml").Length);
        Assert.Contains("0 email(s) queued", (await _pipeline.RunAsync("notify", "--check-late")).Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }
}
