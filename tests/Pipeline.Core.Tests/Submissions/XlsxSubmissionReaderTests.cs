using ClosedXML.Excel;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Submissions;

/// <summary>Real workbooks written with ClosedXML: sheet choice, Excel's own cell types, and files that are not workbooks.</summary>
public class XlsxSubmissionReaderTests
{
    [Fact]
    public async Task Sheet_named_measures_is_read_even_when_it_is_not_first()
    {
        var bytes = SubmissionTable.Valid().ToXlsx(extra: wb =>
        {
            var notes = wb.Worksheets.Add("Notes", 1);
            notes.Cell(1, 1).SetValue("Prepared by the maternity informatics team");
        });

        var result = await ValidateAsync("r0a.xlsx", bytes);

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.Equal(Valid().Measures, result.Submission!.Measures);
    }

    [Fact]
    public async Task First_sheet_is_read_when_none_is_named_measures_and_locations_name_it()
    {
        var bytes = SubmissionTable.Valid().Set("stillbirth/ethnic_category/N", "numerator", "-3").ToXlsx(sheetName: "Sheet1");

        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E104", issue.Code);
        Assert.Equal("Sheet1", issue.Location.Sheet);
        Assert.Equal("F4", issue.Location.Cell);
        Assert.Equal("sheet 'Sheet1', cell F4, column 'numerator'", IssueLocationText.Describe(issue.Location));
    }

    [Fact]
    public async Task Cell_formatted_as_a_percentage_is_shown_as_the_analyst_sees_it_and_refused()
    {
        var bytes = SubmissionTable.Valid().ToXlsx(extra: wb =>
        {
            var cell = wb.Worksheet("measures").Cell("F4");
            cell.SetValue(0.125);
            cell.Style.NumberFormat.Format = "0.0%";
        });

        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E102", issue.Code);
        Assert.Equal("12.5%", issue.Value);
        Assert.Equal("F4", issue.Location.Cell);
        Assert.Contains("percentage", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Period_that_excel_turned_into_a_date_is_read_as_that_month()
    {
        var bytes = SubmissionTable.Valid().ToXlsx(extra: wb =>
        {
            var sheet = wb.Worksheet("measures");
            foreach (var row in sheet.RowsUsed().Skip(1))
            {
                row.Cell(2).SetValue(new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Unspecified));
            }
        });

        var result = await ValidateAsync("r0a.xlsx", bytes);

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
    }

    [Fact]
    public async Task Period_given_as_a_day_that_is_not_the_first_is_not_a_month()
    {
        var bytes = SubmissionTable.Valid().ToXlsx(extra: wb =>
        {
            foreach (var row in wb.Worksheet("measures").RowsUsed().Skip(1))
            {
                row.Cell(2).SetValue(new DateTime(2026, 10, 15, 0, 0, 0, DateTimeKind.Unspecified));
            }
        });

        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E103", issue.Code);
        Assert.Equal("2026-10-15", issue.Value);
        Assert.Equal("B2", issue.Location.Cell);
    }

    [Fact]
    public async Task Blank_rows_in_the_middle_keep_excel_row_numbers()
    {
        var bytes = SubmissionTable.Valid().Set("caesarean/imd_quintile/5", "denominator", "x").ToXlsx(extra: wb =>
            wb.Worksheet("measures").Row(10).InsertRowsAbove(2));

        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E102", issue.Code);
        Assert.Equal("G26", issue.Location.Cell);
    }

    [Fact]
    public async Task Title_row_above_the_header_is_named_as_the_problem()
    {
        var bytes = SubmissionTable.Valid().ToXlsx(extra: wb =>
        {
            var sheet = wb.Worksheet("measures");
            sheet.Row(1).InsertRowsAbove(1);
            sheet.Cell("A1").SetValue("Maternity equity submission - October 2026");
        });

        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E020", issue.Code);
        Assert.Equal(1, issue.Location.Line);
        Assert.Contains("'Maternity equity submission - October 2026'", issue.Message, StringComparison.Ordinal);
        Assert.Contains("delete any title rows", issue.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nhs_number_stored_as_a_number_is_found_and_masked()
    {
        var bytes = SubmissionTable.Valid().ToXlsx(extra: wb => wb.Worksheet("measures").Cell("E4").SetValue(9434765919d));

        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E301", issue.Code);
        Assert.Equal("943*******", issue.Value);
        Assert.Equal("E4", issue.Location.Cell);
    }

    [Theory]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0 }, "old Excel 97-2003 (.xls)")]
    [InlineData(new byte[] { (byte)'o', (byte)'r', (byte)'g', (byte)',', (byte)'p', (byte)'\n' }, "it is text")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 }, "not an Excel workbook")]
    public async Task File_that_is_not_a_workbook_says_what_it_is(byte[] bytes, string said)
    {
        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E004", issue.Code);
        Assert.Contains(said, issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workbook_cut_short_is_damaged_not_a_crash()
    {
        var bytes = SubmissionTable.Valid().ToXlsx();

        var issue = (await ValidateAsync("r0a.xlsx", bytes[..(bytes.Length / 2)])).SingleIssue();

        Assert.Equal("E004", issue.Code);
    }

    [Fact]
    public async Task Zip_that_is_not_a_workbook_is_refused()
    {
        var issue = (await ValidateAsync("r0a.xlsx", ZipFiles.OfZeros(("readme.txt", 100)))).SingleIssue();

        Assert.Equal("E004", issue.Code);
        Assert.Contains("no xl/workbook.xml", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zip_bomb_is_refused_from_its_directory_without_expanding_it()
    {
        var bytes = ZipFiles.OfZeros(("xl/workbook.xml", 100), ("xl/worksheets/sheet1.xml", 64 * 1024 * 1024));

        var issue = (await ValidateAsync("r0a.xlsx", bytes)).SingleIssue();

        Assert.Equal("E013", issue.Code);
        Assert.True(bytes.Length < 1024 * 1024);
    }

    [Fact]
    public async Task Workbook_with_only_empty_sheets_has_no_data()
    {
        using var workbook = new XLWorkbook();
        workbook.Worksheets.Add("measures");
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);

        Assert.Equal("E019", (await ValidateAsync("r0a.xlsx", stream.ToArray())).SingleIssue().Code);
    }

    [Fact]
    public async Task Empty_xlsx_file_is_empty()
    {
        Assert.Equal("E003", (await ValidateAsync("r0a.xlsx", Array.Empty<byte>())).SingleIssue().Code);
    }
}
