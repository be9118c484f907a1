using System.Text;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Submissions;

/// <summary>CSV as trusts really produce it: Excel's encodings, BOMs, CRLF, loose headers, blank rows, broken quoting.</summary>
public class CsvSubmissionReaderTests
{
    private static string ValidCsv() => SubmissionTable.Valid().ToCsv();

    [Theory]
    [InlineData('£', "A3")]
    [InlineData('é', "E9")]
    public async Task Windows_1252_text_is_an_encoding_error_naming_the_byte_line_and_the_fix(char character, string hex)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var csv = ValidCsv().Replace("analyst@nhs.net", $"analyst{character}@nhs.net", StringComparison.Ordinal);
        var bytes = Encoding.GetEncoding(1252).GetBytes(csv);

        var issue = (await ValidateAsync("r0a.csv", bytes)).SingleIssue();

        Assert.Equal("E005", issue.Code);
        var offset = Array.IndexOf(bytes, Convert.ToByte(hex, 16));
        Assert.Contains($"Byte {offset:N0} (line 2) is 0x{hex}", issue.Message, StringComparison.Ordinal);
        Assert.Contains($"'{character}'", issue.Message, StringComparison.Ordinal);
        Assert.Contains("CSV UTF-8", issue.Fix, StringComparison.Ordinal);
        Assert.Equal(2, issue.Location.Line);
    }

    [Fact]
    public async Task Bom_crlf_and_blank_trailing_rows_are_accepted()
    {
        var csv = "\uFEFF" + ValidCsv().Replace("\n", "\r\n", StringComparison.Ordinal) + ",,,,,,,,\r\n\r\n\r\n";

        var result = await ValidateAsync("r0a.csv", Encoding.UTF8.GetBytes(csv));

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.Equal(Valid().Measures, result.Submission!.Measures);
    }

    [Fact]
    public async Task Header_names_match_whatever_their_case_spacing_and_order()
    {
        var lines = ValidCsv().Split('\n');
        string[] header = [" Organisation Code ", "REPORTING_PERIOD", "Indicator", "breakdown", "Group ", "numerator", "Denominator", "Submitted By", "schema version"];
        // Reverse the column order in every line.
        var reordered = string.Join('\n', lines.Select((l, i) => l.Length == 0 ? l : string.Join(',', (i == 0 ? header : l.Split(',')).Reverse())));

        var result = await ValidateAsync("r0a.csv", reordered);

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.Equal(Valid().Measures, result.Submission!.Measures);
    }

    [Fact]
    public async Task Optional_columns_may_be_left_out()
    {
        var csv = string.Join('\n', ValidCsv().Split('\n').Select(l => l.Length == 0 ? l : string.Join(',', l.Split(',').Take(7))));

        var result = await ValidateAsync("r0a.csv", csv);

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.Equal("1.0", result.Submission!.SchemaVersion);
        Assert.Null(result.Submission.SubmittedBy);
    }

    [Fact]
    public async Task Missing_column_is_named_once_not_per_row()
    {
        var csv = string.Join('\n', ValidCsv().Split('\n').Select(l => l.Length == 0 ? l : string.Join(',', l.Split(',').Where((_, i) => i != 6))));

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E014", issue.Code);
        Assert.Contains("'denominator'", issue.Message, StringComparison.Ordinal);
        Assert.Equal(1, issue.Location.Line);
    }

    [Fact]
    public async Task Duplicate_column_is_named_in_the_header()
    {
        var csv = ValidCsv().Replace("schema_version\n", "Numerator\n", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E015", issue.Code);
        Assert.Equal("Numerator", issue.Location.Column);
    }

    [Fact]
    public async Task Unknown_column_is_reported_once_at_the_header()
    {
        var csv = ValidCsv().Replace("schema_version\n", "schema_version,notes\n", StringComparison.Ordinal).Replace("1.0\n", "1.0,checked\n", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E106", issue.Code);
        Assert.Equal("notes", issue.Location.Column);
        Assert.Equal(1, issue.Location.Line);
    }

    [Fact]
    public async Task Nhs_number_in_an_unknown_column_is_flagged_and_masked()
    {
        var csv = ValidCsv().Replace("schema_version\n", "schema_version,patient\n", StringComparison.Ordinal).Replace("1.0\n", "1.0,\n", StringComparison.Ordinal);
        csv = csv.Replace("N,1,140,analyst@nhs.net,1.0,", "N,1,140,analyst@nhs.net,1.0,4010232137", StringComparison.Ordinal);

        var result = await ValidateAsync("r0a.csv", csv);

        Assert.Equal(["E106", "E301"], result.Codes());
        Assert.Equal("401*******", result.Report.Groups[1].Examples[0].Value);
        Assert.Equal(4, result.Report.Groups[1].Examples[0].Location.Line);
    }

    [Fact]
    public async Task Value_in_a_column_without_header_is_reported_with_its_column_letter()
    {
        var csv = ValidCsv().Replace("N,1,140,analyst@nhs.net,1.0", "N,1,140,analyst@nhs.net,1.0,,oops", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E018", issue.Code);
        Assert.Equal(4, issue.Location.Line);
        Assert.Contains("column K", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Organisation_that_changes_between_rows_is_reported_where_it_changes()
    {
        var lines = ValidCsv().Split('\n');
        lines[5] = lines[5].Replace("R0A,", "R1F,", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.csv", string.Join('\n', lines))).SingleIssue();

        Assert.Equal("E017", issue.Code);
        Assert.Equal(6, issue.Location.Line);
        Assert.Equal("organisation_code", issue.Location.Column);
        Assert.Contains("'R0A'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unclosed_quote_names_the_line_it_opened_on()
    {
        var csv = ValidCsv().Replace("stillbirth,ethnic_category,N", "stillbirth,\"ethnic_category,N", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E012", issue.Code);
        Assert.Equal(4, issue.Location.Line);
    }

    [Fact]
    public async Task Text_after_a_closing_quote_is_malformed()
    {
        var csv = ValidCsv().Replace("stillbirth,ethnic_category,N", "stillbirth,\"ethnic_category\"x,N", StringComparison.Ordinal);

        Assert.Equal("E012", (await ValidateAsync("r0a.csv", csv)).SingleIssue().Code);
    }

    [Fact]
    public async Task Quoted_values_with_commas_quotes_and_line_breaks_keep_line_numbers_right()
    {
        var csv = ValidCsv().Replace("analyst@nhs.net", "\"analyst\"\"x,\ny\"", StringComparison.Ordinal);

        var result = await ValidateAsync("r0a.csv", csv);

        // Every row now has a multi-line sender, so the first row spans lines 2-3 and the second starts on line 4;
        // the sender also differs from nothing (it is constant), so the only problem is that it is not an email.
        var issue = result.SingleGroup().Examples[0];
        Assert.Equal("E103", issue.Code);
        Assert.Equal(2, issue.Location.Line);
        // The line break inside the quoted value is echoed as its code point (SubmitterText), never raw.
        Assert.Equal("analyst\"x,U+000Ay", issue.Value);
    }

    [Fact]
    public async Task Workbook_renamed_to_csv_is_recognised()
    {
        var issue = (await ValidateAsync("r0a.csv", SubmissionTable.Valid().ToXlsx())).SingleIssue();

        Assert.Equal("E004", issue.Code);
        Assert.Contains("Excel workbook renamed", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_data_with_nul_bytes_is_not_text()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidCsv());
        bytes[100] = 0;

        var issue = (await ValidateAsync("r0a.csv", bytes)).SingleIssue();

        Assert.Equal("E004", issue.Code);
        Assert.Contains("byte 100", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_csv_is_empty()
    {
        Assert.Equal("E003", (await ValidateAsync("r0a.csv", "\n\n")).SingleIssue().Code);
    }

    [Fact]
    public async Task Utf8_text_with_accents_split_across_read_chunks_is_read_intact()
    {
        // A sender name with multi-byte characters on every row makes chunk boundaries fall inside characters.
        var csv = ValidCsv().Replace("analyst@nhs.net", "zoë.brontë@nhs.net", StringComparison.Ordinal);
        var table = SubmissionTable.Valid();
        var padded = csv + string.Concat(Enumerable.Repeat("\n", 70_000));

        var result = await ValidateAsync("r0a.csv", padded);

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.Equal("zoë.brontë@nhs.net", result.Submission!.SubmittedBy);
        Assert.Equal(table.Rows.Count, result.Report.RowCount);
    }

    [Theory]
    [InlineData(';', "';'", "saved with semicolons, as Excel does where the list separator is ';'")]
    [InlineData('\t', "tabs", "tab-separated (Excel's 'Text (Tab delimited)')")]
    public async Task Semicolon_or_tab_separated_file_is_named_as_such_with_a_fix_for_that_separator(char separator, string named, string fix)
    {
        var csv = ValidCsv().Replace(',', separator);

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E012", issue.Code);
        Assert.Contains($"the header is separated by {named}, not commas", issue.Message, StringComparison.Ordinal);
        Assert.Contains(fix, issue.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("wrapped in double quotes", issue.Fix, StringComparison.Ordinal);
    }
}
