using System.Text;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Writing;
using Pipeline.Core.Synthetic;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Submissions;

public class SubmissionWriterTests
{
    [Fact]
    public async Task Csv_quotes_values_with_commas_quotes_and_line_breaks_and_reads_back()
    {
        var submission = Valid() with { SubmittedBy = "Smith, \"Jo\"\n@nhs.net" };

        var csv = await CsvAsync(submission);

        Assert.Contains(",\"Smith, \"\"Jo\"\"\n@nhs.net\"\n", csv, StringComparison.Ordinal);
        Assert.StartsWith("organisation_code,reporting_period,indicator,breakdown,group,numerator,denominator,schema_version,submitted_by\n", csv, StringComparison.Ordinal);
        Assert.False(Encoding.UTF8.GetBytes(csv).AsSpan().StartsWith(Encoding.UTF8.Preamble));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public async Task Synthetic_submissions_written_by_the_writer_pass_validation(string format)
    {
        var reference = ReferenceData.Embedded;
        var scenario = new SyntheticScenario { Months = 2, Start = new Period(2026, 8), TrustCodes = [.. reference.TrustsActiveIn(new Period(2026, 8)).Take(6).Select(t => t.Code)] };
        var submissions = new SubmissionGenerator(reference).Generate(scenario).ToList();
        Assert.Equal(12, submissions.Count);

        foreach (var submission in submissions)
        {
            var bytes = format == "json" ? await JsonAsync(submission) : Encoding.UTF8.GetBytes(await CsvAsync(submission));
            var drop = new DropPath(submission.OrganisationCode, submission.ReportingPeriod.ToString(), "s." + format);

            var result = await ValidateAsync("s." + format, bytes, drop);

            Assert.True(result.Report.IsAccepted, Describe(result.Report));
            Assert.Equal(submission.Measures, result.Submission!.Measures);
            Assert.All(result.Report.Groups, g => Assert.Equal(Severity.Warning, g.Severity));
        }
    }
}
