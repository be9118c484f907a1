using Pipeline.Core.Model;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

public class FirstValidationTests
{
    [Fact]
    public async Task Valid_json_submission_is_accepted_with_every_measure()
    {
        var result = await ValidateAsync("r0a-2026-10.json", await JsonAsync(Valid()));

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.NotNull(result.Submission);
        Assert.Equal(Valid().Measures, result.Submission.Measures);
        Assert.Equal(new Period(2026, 10), result.Submission.ReportingPeriod);
    }

    [Fact]
    public async Task Valid_csv_submission_is_accepted_with_every_measure()
    {
        var result = await ValidateAsync("r0a-2026-10.csv", await CsvAsync(Valid()));

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.Equal(Valid().Measures, result.Submission!.Measures);
        Assert.Equal("analyst@nhs.net", result.Submission.SubmittedBy);
    }

    [Fact]
    public async Task Percentage_typed_in_a_csv_count_cell_gives_one_message_with_line_column_and_fix()
    {
        var csv = (await CsvAsync(Valid())).Replace("stillbirth,ethnic_category,N,1,140", "stillbirth,ethnic_category,N,12.5%,140", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E102", issue.Code);
        Assert.Equal(4, issue.Location.Line);
        Assert.Equal("numerator", issue.Location.Column);
        Assert.Equal("12.5%", issue.Value);
        Assert.Contains("percentage", issue.Message, StringComparison.Ordinal);
        Assert.Contains("count", issue.Fix, StringComparison.Ordinal);
        Assert.Equal("stillbirth/ethnic_category/N", issue.RowKey);
    }
}
