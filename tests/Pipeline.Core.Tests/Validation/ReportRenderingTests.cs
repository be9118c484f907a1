using System.Text.Json;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using Pipeline.Core.Text.Receipts;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

public class ReportRenderingTests
{
    [Fact]
    public async Task Json_report_uses_stable_snake_case_names_and_reads_back()
    {
        var table = SubmissionTable.Valid().Set("stillbirth/ethnic_category/N", "numerator", "12.5%");
        var report = (await ValidateAsync("r0a.csv", table.ToCsv())).Report;

        var json = ReceiptJson.Write(report);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("rejected", root.GetProperty("outcome").GetString());
        Assert.Equal("r0a.csv", root.GetProperty("file_name").GetString());
        Assert.Equal(1, root.GetProperty("error_count").GetInt32());
        var group = root.GetProperty("groups")[0];
        Assert.Equal("E102", group.GetProperty("code").GetString());
        Assert.Equal("error", group.GetProperty("severity").GetString());
        Assert.False(group.GetProperty("truncated").GetBoolean());
        var example = group.GetProperty("examples")[0];
        Assert.Equal(4, example.GetProperty("location").GetProperty("line").GetInt64());
        Assert.Equal("numerator", example.GetProperty("location").GetProperty("column").GetString());
        Assert.Equal(JsonValueKind.Null, example.GetProperty("location").GetProperty("sheet").ValueKind);
        Assert.Equal("stillbirth/ethnic_category/N", example.GetProperty("row_key").GetString());

        var back = ReceiptJson.Read(json);
        Assert.Equal(report.Outcome, back.Outcome);
        Assert.Equal(report.Groups[0].Examples[0], back.Groups[0].Examples[0]);
    }

    [Fact]
    public async Task Html_report_escapes_everything_that_came_from_the_file()
    {
        var table = SubmissionTable.Valid().Set("stillbirth/ethnic_category/N", "numerator", "<script>alert('x')</script>");
        var report = (await ValidateAsync("<b>r0a</b>.csv", table.ToCsv())).Report;

        var html = ReceiptHtml.Render(report);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>r0a", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;r0a&lt;/b&gt;.csv", html, StringComparison.Ordinal);
        Assert.Contains("line 4, column &#39;numerator&#39;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        // The only links out are to the published contract (docs/errors.md), never to anything the file named.
        Assert.All(System.Text.RegularExpressions.Regex.Matches(html, "href=\"(http[^\"]*)\"").Select(m => m.Groups[1].Value),
            link => Assert.StartsWith(ReceiptHtml.DefaultContractUrl, link, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Html_report_says_how_many_examples_were_left_out()
    {
        var table = SubmissionTable.Valid().SetAll("denominator", "n/a");

        var report = (await ValidateAsync("r0a.csv", table.ToCsv(), options: new ValidationOptions { MaxExamplesPerCode = 3 })).Report;

        var html = ReceiptHtml.Render(report);

        Assert.Contains($"Truncated: {table.Rows.Count - 3} more not shown (the first 3 are listed).", html, StringComparison.Ordinal);
        Assert.Contains("Rejected", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepted_report_shows_the_verdict_and_no_problem_tables()
    {
        var report = (await ValidateAsync("r0a.json", await JsonAsync(Valid()))).Report;

        var html = ReceiptHtml.Render(report);

        Assert.Contains("class=\"outcome accepted\">Accepted<", html, StringComparison.Ordinal);
        Assert.Contains("No problems found.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<h2>Summary</h2>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_report_of_a_file_without_its_month_gives_the_folders_month_and_says_it_was_taken_from_there()
    {
        var csv = "organisation_code,indicator,breakdown,group,numerator,denominator\nR0A,stillbirth,total,all,3,1180\n";
        var drop = new Pipeline.Core.Model.DropPath("R0A", "2026-10", "r0a.csv");

        var report = (await ValidateAsync("r0a.csv", csv, drop)).Report;
        var lines = ReceiptText.Render(report, drop).Split('\n');

        Assert.Equal("r0a.csv: ACCEPTED WITH WARNINGS (0 errors, 1 warning) organisation R0A, period 2026-10, 1 row", lines[0]);
        Assert.Contains(lines, l => l.Contains("2026-10 was taken from the folder it was dropped in (submissions/R0A/2026-10/).",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_report_names_the_month_from_the_folder_when_the_file_could_not_be_read_instead_of_a_question_mark()
    {
        var drop = new Pipeline.Core.Model.DropPath("R0A", "2026-10", "r0a.json");

        var report = (await ValidateAsync("r0a.json", "{\"measures\": [} ", drop)).Report;
        var first = ReceiptText.Render(report, drop).Split('\n')[0];

        Assert.Contains("period not given (the folder says 2026-10)", first, StringComparison.Ordinal);
        Assert.DoesNotContain("?", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_report_lists_each_code_with_examples_and_the_count_left_out()
    {
        var table = SubmissionTable.Valid().SetAll("denominator", "n/a");

        var report = (await ValidateAsync("r0a.csv", table.ToCsv(), options: new ValidationOptions { MaxExamplesPerCode = 2 })).Report;

        var lines = ReceiptText.Render(report).Split('\n');

        Assert.Equal($"r0a.csv: REJECTED ({table.Rows.Count} errors, 0 warnings) organisation R0A, period 2026-10, {table.Rows.Count} rows", lines[0]);
        Assert.Equal($"  E102 Wrong kind of value ({table.Rows.Count}, error)", lines[1]);
        Assert.Equal("    at line 2, column 'denominator' [stillbirth/total/all] value 'n/a'", lines[2]);
        Assert.StartsWith("      Fix: Send the actual count, however small", lines[4], StringComparison.Ordinal);
        Assert.Equal($"    truncated: {table.Rows.Count - 2} more not shown", lines[8]);
    }
}
