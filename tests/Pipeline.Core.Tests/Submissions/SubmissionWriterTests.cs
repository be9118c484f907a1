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

    [Fact]
    public async Task Xlsx_has_one_measures_sheet_with_numeric_counts_that_excel_libraries_read()
    {
        var bytes = await XlsxAsync(Valid());

        using var workbook = new ClosedXML.Excel.XLWorkbook(new MemoryStream(bytes));
        var sheet = Assert.Single(workbook.Worksheets);
        Assert.Equal("measures", sheet.Name);
        Assert.Equal("numerator", sheet.Cell("F1").GetString());
        Assert.Equal(3d, sheet.Cell("F2").GetDouble());
        Assert.Equal(ClosedXML.Excel.XLDataType.Number, sheet.Cell("G2").DataType);
        Assert.Equal("2026-10", sheet.Cell("B24").GetString());
        Assert.Equal(Valid().Measures.Count + 1, sheet.LastRowUsed().RowNumber());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task Synthetic_submissions_written_by_the_writer_pass_validation(string format)
    {
        var reference = ReferenceData.Embedded;
        var scenario = new SyntheticScenario { Months = 2, Start = new Period(2026, 8), TrustCodes = [.. reference.TrustsActiveIn(new Period(2026, 8)).Take(6).Select(t => t.Code)] };
        var submissions = new SubmissionGenerator(reference).Generate(scenario).ToList();
        Assert.Equal(12, submissions.Count);

        foreach (var submission in submissions)
        {
            var bytes = format switch
            {
                "json" => await JsonAsync(submission),
                "csv" => Encoding.UTF8.GetBytes(await CsvAsync(submission)),
                _ => await XlsxAsync(submission),
            };
            var drop = new DropPath(submission.OrganisationCode, submission.ReportingPeriod.ToString(), "s." + format);

            var result = await ValidateAsync("s." + format, bytes, drop);

            Assert.True(result.Report.IsAccepted, Describe(result.Report));
            Assert.Equal(submission.Measures, result.Submission!.Measures);
            Assert.All(result.Report.Groups, g => Assert.Equal(Severity.Warning, g.Severity));
        }
    }
}
