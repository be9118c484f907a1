using System.Text;
using Pipeline.Adapters.Store;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Validation;
using Pipeline.Core.Text.Receipts;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

public sealed class SubmissionProcessorTests
{
    private static readonly Period October = new(2026, 10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accepted_submission_gets_a_receipt_a_lake_file_and_current_rows()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var submission = SampleSubmissions.Typical("R0A", October, seed: 1);

        var result = await h.DropAsync(submission);

        Assert.Equal((ProcessingOutcome.Accepted, false, 0), (result.Outcome, result.AlreadyProcessed, result.ErrorCount));
        Assert.Equal("reports/R0A/2026-10/R0A-2026-10-20261102T090100.000Z.json", result.ReceiptJsonKey);
        Assert.True(File.Exists(h.PathOf("reports/R0A/2026-10/R0A-2026-10-20261102T090100.000Z.json")));
        Assert.True(File.Exists(h.PathOf("reports/R0A/2026-10/R0A-2026-10-20261102T090100.000Z.html")));
        Assert.Equal($"lake/measures/period=2026-10/organisation=R0A/{result.SubmissionId}.parquet", result.LakeKey);
        Assert.True(File.Exists(h.PathOf(result.LakeKey!)));
        Assert.Equal(submission.Measures.Count, (await h.Store.GetCurrentMeasuresAsync(October, Ct)).Count);
        Assert.Equal(SubmissionStatus.Accepted, (await h.Store.GetSubmissionAsync(result.SubmissionId, Ct))!.Status);
    }

    [Fact]
    public async Task Accepted_receipt_gives_the_totals_on_time_or_late_and_the_file_it_replaced_with_a_link_to_the_contract()
    {
        await using var h = await PipelineHarness.CreateAsync(configure: o
            => o.Submissions.ContractUrl = "https://contract.example/errors.md");
        var first = SampleSubmissions.Typical("R0A", October, seed: 1);
        var firstResult = await h.DropAsync(first, "first.json");
        h.Time.SetUtcNow(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
        var second = SampleSubmissions.Typical("R0A", October, seed: 2);

        var result = await h.DropAsync(second, "second.json");

        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(h.PathOf(result.ReceiptJsonKey!), Ct))!;
        var receipt = json["receipt"]!;
        Assert.Equal("https://contract.example/errors.md", (string?)json["contract_url"]);
        Assert.False((bool)receipt["on_time"]!);
        Assert.Equal(second.Measures.Count, (int)receipt["totals"]!["rows"]!);
        var totals = second.Measures.Where(m => m.Breakdown == Breakdown.Total).ToList();
        Assert.Equal(totals.Select(m => m.IndicatorCode).Distinct().Count(), receipt["totals"]!["indicators"]!.AsArray().Count);
        Assert.Equal(totals.Sum(m => m.Denominator), (long)receipt["totals"]!["denominators"]!);
        Assert.Equal("first.json", (string?)receipt["replaced"]!["file_name"]);
        Assert.Null(receipt["kept_current"]);
        Assert.StartsWith(
            "late (received 2026-11-20 08:01 UTC; deadline 2026-11-15 23:59 UTC). " +
            "Replaces 'first.json' received 2026-11-02 09:01 UTC", (string?)receipt["summary"], StringComparison.Ordinal);

        var firstReceipt = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(h.PathOf(firstResult.ReceiptJsonKey!),
            Ct))!["receipt"]!;
        Assert.True((bool)firstReceipt["on_time"]!);
        Assert.Null(firstReceipt["replaced"]);
        Assert.EndsWith("The first accepted file for this month.", (string?)firstReceipt["summary"], StringComparison.Ordinal);

        var html = await File.ReadAllTextAsync(h.PathOf(result.ReceiptHtmlKey!), Ct);
        Assert.Contains("<dt>Received</dt><dd>late (received 2026-11-20 08:01 UTC; deadline 2026-11-15 23:59 UTC)</dd>", html,
            StringComparison.Ordinal);
        Assert.Contains($"<dt>Totals</dt><dd>{second.Measures.Count:N0} measure rows", html, StringComparison.Ordinal);
        Assert.Contains(
            "<dt>Replaces</dt><dd>Replaces &#39;first.json&#39; received 2026-11-02 09:01 UTC, " +
            "which is kept as history.</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://contract.example/errors.md\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("of the pipeline", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_received_before_the_current_one_says_the_later_file_stays_current()
    {
        await using var h = await PipelineHarness.CreateAsync();
        h.Fault = step => step == ProcessingStep.Validated ? throw new IOException("disk unplugged") : Task.CompletedTask;
        var early = await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 1), "v1.json");
        h.Fault = null;
        await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 2), "v2.json");

        var retry = await h.Processor.ProcessAsync(early.SourceKey, Ct);

        var receipt = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(h.PathOf(retry.ReceiptJsonKey!), Ct))!["receipt"]!;
        Assert.Equal(ProcessingOutcome.Superseded, retry.Outcome);
        Assert.Equal("v2.json", (string?)receipt["kept_current"]!["file_name"]);
        Assert.Null(receipt["replaced"]);
        Assert.EndsWith("Kept as history: 'v2.json' received 2026-11-02 09:02 UTC was received later and stays current.",
            (string?)receipt["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_receipt_links_each_code_to_its_section_of_the_configured_contract()
    {
        await using var h = await PipelineHarness.CreateAsync(configure: o
            => o.Submissions.ContractUrl = "https://contract.example/errors.md");

        var result = await h.DropAsync("R0A", October, "broken.json", Encoding.UTF8.GetBytes("this is not a submission"));

        var html = await File.ReadAllTextAsync(h.PathOf(result.ReceiptHtmlKey!), Ct);
        var code = ReceiptJson.Read(await File.ReadAllTextAsync(h.PathOf(result.ReceiptJsonKey!), Ct)).Groups[0].Code;
        Assert.Contains($"<a href=\"https://contract.example/errors.md#{code.ToLowerInvariant()}\">{code}</a>", html,
            StringComparison.Ordinal);
        Assert.Contains("<dt>Received</dt><dd>received 2026-11-02 09:01 UTC; deadline 2026-11-15 23:59 UTC</dd>", html,
            StringComparison.Ordinal);
        Assert.DoesNotContain("<dt>Totals</dt>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_without_a_reporting_period_column_is_loaded_for_the_month_its_folder_names_with_a_warning()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var submission = SampleSubmissions.Typical("R0A", October, seed: 1);

        var result = await h.DropAsync("R0A", October, "no-month.csv", Csv(submission, withPeriod: false));

        Assert.Equal(ProcessingOutcome.Accepted, result.Outcome);
        Assert.Equal(submission.Measures.Count, (await h.Store.GetCurrentMeasuresAsync(October, Ct)).Count(m
            => m.SubmissionId == result.SubmissionId));
        var issue = Assert.Single(await h.Store.GetIssuesAsync(result.SubmissionId, Ct), i => i.Code.StartsWith('W' + "2",
            StringComparison.Ordinal) || i.Severity == "error");
        Assert.Equal(("W202",
            "The file gives no reporting_period; 2026-10 was taken from the folder it was dropped in (submissions/R0A/2026-10/)."),
            (issue.Code, issue.Message));
    }

    [Fact]
    public async Task A_file_whose_month_differs_from_its_folder_is_still_rejected()
    {
        await using var h = await PipelineHarness.CreateAsync();

        var result = await h.DropAsync("R0A", October, "september.csv", Csv(SampleSubmissions.Typical("R0A", new Period(2026, 9),
            seed: 1), withPeriod: true));

        Assert.Equal(ProcessingOutcome.Rejected, result.Outcome);
        Assert.Contains(await h.Store.GetIssuesAsync(result.SubmissionId, Ct), i => i.Code == "E215");
    }

    [Fact]
    public async Task Codes_in_another_case_are_loaded_as_the_one_code_they_stand_for_with_a_warning()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var submission = SampleSubmissions.Typical("R0A", October, seed: 1);
        // What a trust analyst's spreadsheet does: 'a' for White British, 'Stillbirth' and 'Total' capitalised, 'u' for IMD unknown.
        var bytes = Csv(submission, withPeriod: true, m => (
            m.IndicatorCode == "stillbirth" ? "Stillbirth" : m.IndicatorCode,
            m.Breakdown == Breakdown.Total ? "Total" : m.Breakdown.ToWire(),
            m.GroupCode is "A" or "U" ? m.GroupCode.ToLowerInvariant() : m.GroupCode));

        var result = await h.DropAsync("R0A", October, "cases.csv", bytes);

        Assert.Equal(ProcessingOutcome.Accepted, result.Outcome);
        var loaded = (await h.Store.GetCurrentMeasuresAsync(October, Ct)).Select(m => (m.IndicatorCode, m.Breakdown, m.GroupCode,
            m.Numerator, m.Denominator)).Order();
        Assert.Equal(submission.Measures.Select(m => (m.IndicatorCode, m.Breakdown.ToWire(), m.GroupCode, m.Numerator, m.Denominator))
            .Order(), loaded);
        var issues = await h.Store.GetIssuesAsync(result.SubmissionId, Ct);
        Assert.DoesNotContain(issues, i => i.Severity == "error");
        Assert.Contains(issues, i => i.Message == "group 'a' was read as 'A'.");
        Assert.Contains(issues, i => i.Message == "indicator 'Stillbirth' was read as 'stillbirth'.");
    }

    private static byte[] Csv(Submission submission, bool withPeriod, Func<Measure, (string Indicator, string Breakdown,
        string Group)>? write = null)
    {
        write ??= m => (m.IndicatorCode, m.Breakdown.ToWire(), m.GroupCode);
        var text = new StringBuilder(withPeriod ? "organisation_code,reporting_period,indicator,breakdown,group,numerator,denominator\n"
            : "organisation_code,indicator,breakdown,group,numerator,denominator\n");
        foreach (var m in submission.Measures)
        {
            var (indicator, breakdown, group) = write(m);
            text.Append(submission.OrganisationCode).Append(',');
            if (withPeriod)
            {
                text.Append(submission.ReportingPeriod).Append(',');
            }

            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{indicator},{breakdown},{group},{m.Numerator},{m.Denominator}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    [Fact]
    public async Task Submission_id_is_the_hash_of_content_organisation_and_period()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var bytes = SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 1));

        var result = await h.DropAsync("R0A", October, "a.json", bytes);

        var contentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        Assert.Equal(SubmissionIdentity.For(contentHash, "R0A", "2026-10"), result.SubmissionId);
        Assert.Equal(contentHash, (await h.Store.GetSubmissionAsync(result.SubmissionId, Ct))!.Sha256);
    }

    [Fact]
    public async Task Rejected_file_keeps_its_original_gets_a_receipt_and_loads_nothing()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var bytes = Encoding.UTF8.GetBytes("this is not a submission");

        var result = await h.DropAsync("R0A", October, "broken.json", bytes);

        Assert.Equal(ProcessingOutcome.Rejected, result.Outcome);
        Assert.True(result.ErrorCount > 0);
        var receipt = ReceiptJson.Read(await File.ReadAllTextAsync(h.PathOf(result.ReceiptJsonKey!), Ct));
        Assert.Equal((ValidationOutcome.Rejected, result.ErrorCount, "broken.json"), (receipt.Outcome, receipt.ErrorCount, receipt.FileName));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(h.PathOf("submissions/R0A/2026-10/broken.json"), Ct));
        Assert.True(File.Exists(h.PathOf(result.ReceiptJsonKey!)));
        var row = await h.Store.GetSubmissionAsync(result.SubmissionId, Ct);
        Assert.Equal((SubmissionStatus.Rejected, result.ErrorCount), (row!.Status, row.ErrorCount));
        Assert.NotEmpty(await h.Store.GetIssuesAsync(result.SubmissionId, Ct));
        Assert.Empty(await h.Store.GetCurrentMeasuresAsync(null, Ct));
        Assert.False(Directory.Exists(h.PathOf("lake")));
    }

    [Fact]
    public async Task Redelivered_bytes_change_nothing()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var bytes = SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 1));
        var first = await h.DropAsync("R0A", October, "a.json", bytes);
        var measures = await h.Store.GetCurrentMeasuresAsync(null, Ct);

        var again = await h.DropAsync("R0A", October, "a.json", bytes);
        var copy = await h.DropAsync("R0A", October, "a-copy.json", bytes);

        Assert.Equal((first.SubmissionId, ProcessingOutcome.Accepted, true), (again.SubmissionId, again.Outcome, again.AlreadyProcessed));
        Assert.Equal((first.SubmissionId, true, "submissions/R0A/2026-10/a-copy.json"), (copy.SubmissionId, copy.AlreadyProcessed, copy.SourceKey));
        Assert.Equal(measures, await h.Store.GetCurrentMeasuresAsync(null, Ct));
        var history = Assert.Single(await h.Store.ListSubmissionsAsync("R0A", October, Ct));
        Assert.Equal(1, history.Attempts);
        Assert.Equal(measures.Count, h.LakeCurrentMeasures().Count);
    }

    [Fact]
    public async Task Resubmission_supersedes_the_earlier_one_and_keeps_its_history()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var first = await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 1), "v1.json");
        var revised = SampleSubmissions.Typical("R0A", October, seed: 2);

        var second = await h.DropAsync(revised, "v2.json");

        Assert.Equal((ProcessingOutcome.Accepted, first.SubmissionId), (second.Outcome, second.Replaced));
        var current = await h.Store.GetCurrentMeasuresAsync(October, Ct);
        Assert.All(current, m => Assert.Equal(second.SubmissionId, m.SubmissionId));
        Assert.Equal(revised.Measures.Sum(m => m.Numerator), current.Sum(m => m.Numerator));
        var old = await h.Store.GetSubmissionAsync(first.SubmissionId, Ct);
        Assert.Equal((SubmissionStatus.Superseded, second.SubmissionId), (old!.Status, old.SupersededBy));
        Assert.Equal([second.SubmissionId], h.Lake($"select distinct submission_id from {LakeQuery.CurrentMeasures}").Select(r => (string)r[0]!));
        Assert.True(File.Exists(h.PathOf($"lake/superseded/measures/period=2026-10/organisation=R0A/{first.SubmissionId}.parquet")));
    }

    [Fact]
    public async Task Resubmitting_an_old_period_replaces_only_that_period()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var september = new Period(2026, 9);
        await h.DropAsync(SampleSubmissions.Typical("R0A", september, seed: 1));
        var octoberResult = await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 2));
        var octoberRows = await h.Store.GetCurrentMeasuresAsync(October, Ct);

        var revised = await h.DropAsync(SampleSubmissions.Typical("R0A", september, seed: 3), "september-revised.json");

        Assert.Equal(ProcessingOutcome.Accepted, revised.Outcome);
        Assert.All(await h.Store.GetCurrentMeasuresAsync(september, Ct), m => Assert.Equal(revised.SubmissionId, m.SubmissionId));
        Assert.Equal(octoberRows, await h.Store.GetCurrentMeasuresAsync(October, Ct));
        Assert.All(octoberRows, m => Assert.Equal(octoberResult.SubmissionId, m.SubmissionId));
        Assert.Equal(await h.Store.GetCurrentMeasuresAsync(null, Ct), h.LakeCurrentMeasures());
    }

    [Fact]
    public async Task Earlier_received_version_processed_late_does_not_replace_the_later_one()
    {
        await using var h = await PipelineHarness.CreateAsync();
        h.Fault = step => step == ProcessingStep.Validated ? throw new IOException("disk unplugged") : Task.CompletedTask;
        var early = await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 1), "v1.json");
        h.Fault = null;
        var later = await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 2), "v2.json");

        var retry = await h.Processor.ProcessAsync(early.SourceKey, Ct);

        Assert.Equal((ProcessingOutcome.Failed, ProcessingOutcome.Accepted, ProcessingOutcome.Superseded), (early.Outcome, later.Outcome, retry.Outcome));
        Assert.All(await h.Store.GetCurrentMeasuresAsync(October, Ct), m => Assert.Equal(later.SubmissionId, m.SubmissionId));
        Assert.Equal(await h.Store.GetCurrentMeasuresAsync(null, Ct), h.LakeCurrentMeasures());
        Assert.True(File.Exists(h.PathOf($"lake/superseded/measures/period=2026-10/organisation=R0A/{early.SubmissionId}.parquet")));
    }

    [Fact]
    public async Task Accepted_submission_with_warnings_keeps_them_in_the_store()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var typical = SampleSubmissions.Typical("R0A", October, seed: 1);
        var total = typical.Measures.Single(m => m is { IndicatorCode: "stillbirth", Breakdown: Breakdown.Total });
        // All of stillbirth's ethnic counts recorded as Z (not stated): above the 10% data-quality threshold, a warning.
        var measures = typical.Measures
            .Select(m => m is { IndicatorCode: "stillbirth", Breakdown: Breakdown.EthnicCategory }
                ? m with { Numerator = m.GroupCode == "Z" ? total.Numerator : 0, Denominator = m.GroupCode == "Z" ? total.Denominator : 0 }
                : m)
            .ToList();

        var result = await h.DropAsync(typical with { Measures = measures });

        Assert.Equal(ProcessingOutcome.Accepted, result.Outcome);
        Assert.True(result.WarningCount > 0);
        var row = await h.Store.GetSubmissionAsync(result.SubmissionId, Ct);
        Assert.Equal(result.WarningCount, row!.WarningCount);
        Assert.Contains(await h.Store.GetIssuesAsync(result.SubmissionId, Ct), i => i.Severity == "warning");
    }
}
