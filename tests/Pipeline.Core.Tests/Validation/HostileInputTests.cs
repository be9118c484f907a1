using System.Text;
using Pipeline.Core.Model;
using Pipeline.Core.Validation;
using Pipeline.Core.Text.Receipts;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

/// <summary>What a careless or hostile submitter's text becomes when the pipeline repeats it: never raw, never identifying.</summary>
public class HostileInputTests
{
    private const string Header = "organisation_code,reporting_period,indicator,breakdown,group,numerator,denominator";

    [Theory]
    [InlineData("a\u001b[2Jb", "aU+001B[2Jb")]
    [InlineData("line\r\nnext", "lineU+000DU+000Anext")]
    [InlineData("bell\u0007", "bellU+0007")]
    [InlineData("rtl\u202Etxt.exe", "rtlU+202Etxt.exe")]
    [InlineData("plain text", "plain text")]
    public void Control_characters_are_shown_as_code_points(string text, string shown) =>
        Assert.Equal(shown, SubmitterText.Echo(text));

    [Theory]
    [InlineData("ask jane.doe@nhs.net please", "ask j***@nhs.net please")]
    [InlineData("9434765919", "943*******")]
    [InlineData("SW1A 1AA", "SW1A ***")]
    public void Identifiers_are_masked_when_echoed(string text, string shown) => Assert.Equal(shown, SubmitterText.Echo(text));

    [Fact]
    public async Task An_escape_sequence_in_a_value_never_reaches_the_text_report_raw()
    {
        var csv = $"{Header}\nR0A,2026-10,still\u001b[31mbirth,total,all,3,1180\n";

        var result = await ValidateAsync("r0a.csv", csv, new DropPath("R0A", "2026-10", "r0a.csv"));
        var text = ReceiptText.Render(result.Report);

        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("stillU+001B[31mbirth", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_nhs_number_or_postcode_used_as_a_column_name_is_masked_in_the_issue_location_and_message()
    {
        var csv = $"{Header},9434765919,SW1A 1AA\nR0A,2026-10,stillbirth,total,all,3,1180,,\n";

        var result = await ValidateAsync("r0a.csv", csv, new DropPath("R0A", "2026-10", "r0a.csv"));
        var json = ReceiptJson.Write(result.Report);

        Assert.DoesNotContain("9434765919", json, StringComparison.Ordinal);
        Assert.DoesNotContain("1AA", json, StringComparison.Ordinal);
        Assert.Contains(result.Report.Groups.SelectMany(g => g.Examples), i => i.Location.Column == "943*******");
    }

    [Fact]
    public async Task An_nhs_number_used_as_a_json_key_is_masked_in_the_pointer()
    {
        var json = """{"organisation_code":"R0A","reporting_period":"2026-10","measures":[{"indicator":"stillbirth","breakdown":"total","group":"all","numerator":3,"denominator":1180,"9434765919":1}]}""";

        var result = await ValidateAsync("r0a.json", json, new DropPath("R0A", "2026-10", "r0a.json"));

        var pointers = result.Report.Groups.SelectMany(g => g.Examples).Select(i => i.Location.JsonPointer ?? string.Empty).ToList();
        Assert.Contains(pointers, p => p.Contains("943*******", StringComparison.Ordinal));
        Assert.DoesNotContain("9434765919", ReceiptJson.Write(result.Report), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u0663", "3")] // Arabic-Indic three
    [InlineData("\u0967\u0968", "1")] // Devanagari one, two
    public async Task A_count_written_with_another_scripts_digits_is_explained_not_called_too_large(string count, string ascii)
    {
        var csv = $"{Header}\nR0A,2026-10,stillbirth,total,all,{count},1180\n";

        var issue = (await ValidateAsync("r0a.csv", csv, new DropPath("R0A", "2026-10", "r0a.csv"))).SingleIssue();

        Assert.Equal("E102", issue.Code);
        Assert.Contains("from another script", issue.Message, StringComparison.Ordinal);
        Assert.Contains($"digits 0 to 9 only (for example {ascii}", issue.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-16LE", "little-endian")]
    [InlineData("utf-16BE", "big-endian")]
    public async Task Utf16_without_a_byte_order_mark_is_named_as_such_not_as_binary(string encoding, string order)
    {
        var bytes = Encoding.GetEncoding(encoding).GetBytes($"{Header}\nR0A,2026-10,stillbirth,total,all,3,1180\n");

        var issue = (await ValidateAsync("r0a.csv", bytes)).SingleIssue();

        Assert.Equal("E004", issue.Code);
        Assert.Contains($"UTF-16 ({order}) text without a byte-order mark", issue.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("binary data", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1900-01")]
    [InlineData("2015-03")]
    public async Task A_period_before_the_collection_began_is_refused(string period)
    {
        var csv = $"{Header}\nR0A,{period},stillbirth,total,all,3,1180\n";

        var issue = (await ValidateAsync("r0a.csv", csv)).SingleIssue();

        Assert.Equal("E216", issue.Code);
        Assert.Contains("before 2015-04", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_earliest_period_is_configurable()
    {
        var csv = $"{Header}\nR0A,2015-03,stillbirth,total,all,3,1180\n";

        var result = await ValidateAsync("r0a.csv", csv, options: new ValidationOptions { EarliestPeriod = new Period(2010, 1) });

        Assert.DoesNotContain("E216", result.Codes());
    }

    [Fact]
    public async Task A_submitted_by_the_mailer_refuses_is_an_error_naming_the_field()
    {
        var csv = "organisation_code,reporting_period,indicator,breakdown,group,numerator,denominator,submitted_by\n" +
                  "R0A,2026-10,stillbirth,total,all,3,1180,<script>x@nhs.net\n";

        var issue = (await ValidateAsync("r0a.csv", csv, options: new ValidationOptions { IsDeliverableAddress = a => !a.Contains('<', StringComparison.Ordinal) })).SingleIssue();

        Assert.Equal("E217", issue.Code);
        Assert.Contains("no name, angle brackets", issue.Fix, StringComparison.Ordinal);
    }
}
