using System.Text;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Submissions;

/// <summary>Malformed and unusual JSON: each gets one clear error with a position, and nothing throws.</summary>
public class JsonSubmissionReaderTests
{
    private static string ValidJson() => SubmissionTable.Valid().ToJson();

    [Fact]
    public async Task Truncated_json_says_the_file_ends_early()
    {
        var json = ValidJson();

        var issue = (await ValidateAsync("r0a.json", json[..(json.Length / 2)])).SingleIssue();

        Assert.Equal("E007", issue.Code);
        Assert.Contains("truncated", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task NaN_and_infinity_are_named_as_not_json_numbers(string literal)
    {
        var json = ValidJson().Replace("\"numerator\": 1, \"denominator\": 140", $"\"numerator\": {literal}, \"denominator\": 140", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E006", issue.Code);
        Assert.Contains("NaN and Infinity are not numbers in JSON", issue.Message, StringComparison.Ordinal);
        Assert.Equal(9, issue.Location.Line);
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_at_a_small_depth_without_reading_on()
    {
        var depth = 100_000;
        var json = "{\"measures\": [" + new string('[', depth) + new string(']', depth) + "]}";

        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E008", issue.Code);
        Assert.Contains("16 levels deep", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_keys_are_an_error_at_their_pointer()
    {
        var json = ValidJson().Replace("\"numerator\": 1, \"denominator\": 140", "\"numerator\": 1, \"numerator\": 2, \"denominator\": 140", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E009", issue.Code);
        Assert.Equal("/measures/2/numerator", issue.Location.JsonPointer);
    }

    [Theory]
    [InlineData("18446744073709551616")]
    [InlineData("1e400")]
    public async Task Numbers_beyond_64_bits_are_out_of_range_not_a_crash(string number)
    {
        var json = ValidJson().Replace("\"numerator\": 1, \"denominator\": 140", $"\"numerator\": 1, \"denominator\": {number}", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E010", issue.Code);
        Assert.Equal("/measures/2/denominator", issue.Location.JsonPointer);
        Assert.Equal(number, issue.Value);
    }

    [Theory]
    [InlineData("[]", "a list")]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    public async Task A_document_that_is_not_an_object_says_what_it_is(string json, string kind)
    {
        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E011", issue.Code);
        Assert.Contains(kind, issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_property_in_a_measure_is_an_unknown_field()
    {
        var json = ValidJson().Replace("\"numerator\": 1, \"denominator\": 140", "\"numerator\": 1, \"denominator\": 140, \"nhs_number\": \"x\"", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E106", issue.Code);
        Assert.Equal("/measures/2/nhs_number", issue.Location.JsonPointer);
    }

    [Fact]
    public async Task Measure_that_is_not_an_object_is_a_wrong_kind_of_value()
    {
        var json = ValidJson().Replace("\"measures\": [", "\"measures\": [ 5,", StringComparison.Ordinal);

        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E102", issue.Code);
        Assert.Equal("/measures/0", issue.Location.JsonPointer);
    }

    [Fact]
    public async Task Measures_that_is_not_a_list_is_a_wrong_kind_of_value()
    {
        var issue = (await ValidateAsync("r0a.json", "{\"organisation_code\":\"R0A\",\"reporting_period\":\"2026-10\",\"measures\":{}}")).SingleIssue();

        Assert.Equal("E102", issue.Code);
        Assert.Equal("/measures", issue.Location.JsonPointer);
    }

    [Fact]
    public async Task Text_after_the_document_is_a_syntax_error()
    {
        var issue = (await ValidateAsync("r0a.json", ValidJson() + "\n{}")).SingleIssue();

        Assert.Equal("E006", issue.Code);
    }

    [Fact]
    public async Task Bom_and_whole_numbers_written_as_decimals_are_accepted()
    {
        var json = "\uFEFF" + ValidJson().Replace("\"numerator\": 1, \"denominator\": 140", "\"numerator\": 1.0, \"denominator\": 140", StringComparison.Ordinal);

        var result = await ValidateAsync("r0a.json", Encoding.UTF8.GetBytes(json));

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
    }

    [Fact]
    public async Task Binary_data_named_json_is_a_syntax_error_at_its_start()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x89;

        var issue = (await ValidateAsync("r0a.json", bytes)).SingleIssue();

        Assert.Equal("E006", issue.Code);
        Assert.Equal(1, issue.Location.Line);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_string_is_an_encoding_error()
    {
        var bytes = Encoding.UTF8.GetBytes(ValidJson().Replace("analyst@nhs.net", "analyst@nhs.netX", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xA3;

        var issue = (await ValidateAsync("r0a.json", bytes)).SingleIssue();

        Assert.Equal("E005", issue.Code);
        Assert.Contains("0xA3", issue.Message, StringComparison.Ordinal);
        Assert.Contains("'£'", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_json_file_is_empty()
    {
        Assert.Equal("E003", (await ValidateAsync("r0a.json", "  \n")).SingleIssue().Code);
    }

    [Fact]
    public async Task A_string_longer_than_a_megabyte_is_refused_not_buffered()
    {
        var json = "{\"submitted_by\": \"" + new string('a', 3 * 1024 * 1024) + "\"}";

        var issue = (await ValidateAsync("r0a.json", json)).SingleIssue();

        Assert.Equal("E004", issue.Code);
    }
}
