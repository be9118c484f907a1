using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Reading;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;
using F = Pipeline.Core.Submissions.Reading.SubmissionFields;

namespace Pipeline.Core.Tests.Validation;

/// <summary>
/// Every contract rule, broken one at a time in the valid baseline, and written as a real JSON, CSV and XLSX file.
/// Each mistake must give exactly one issue code (usually one issue), located where the submitter would look.
/// </summary>
public class ContractRuleTests
{
    private const string Ethnic = "stillbirth/ethnic_category/";

    /// <param name="Key">The row the issue must point at (indicator/breakdown/group), or an envelope field name.</param>
    /// <param name="Field">The column the issue must point at; null for a whole-row issue.</param>
    internal sealed record RuleCase(string Code, Func<SubmissionTable, SubmissionTable> Break, string? Key = null, string? Field = null, DropPath? Drop = null);

    internal static readonly IReadOnlyDictionary<string, RuleCase> Cases = new Dictionary<string, RuleCase>
    {
        ["percentage typed in a count"] = new("E102", t => t.Set(Ethnic + "N", F.Numerator, "12.5%"), Ethnic + "N", F.Numerator),
        ["rate typed in a count"] = new("E102", t => t.Set(Ethnic + "N", F.Numerator, "12.5"), Ethnic + "N", F.Numerator),
        ["thousands separator in a count"] = new("E102", t => t.Set("stillbirth/total/all", F.Denominator, "1,180"), "stillbirth/total/all", F.Denominator),
        ["thousands separated by a space"] = new("E102", t => t.Set("stillbirth/total/all", F.Denominator, "1 180"), "stillbirth/total/all", F.Denominator),
        ["suppression mark in a count"] = new("E102", t => t.Set(Ethnic + "N", F.Numerator, "*"), Ethnic + "N", F.Numerator),
        ["empty count"] = new("E101", t => t.Set(Ethnic + "N", F.Numerator, null), Ethnic + "N", F.Numerator),
        ["negative count"] = new("E104", t => t.Set(Ethnic + "N", F.Numerator, "-1"), Ethnic + "N", F.Numerator),
        ["count above the maximum"] = new("E105", t => t.Set("stillbirth/total/all", F.Denominator, "2000000000"), "stillbirth/total/all", F.Denominator),
        ["count beyond 64 bits"] = new("E010", t => t.Set("stillbirth/total/all", F.Denominator, "99999999999999999999999"), "stillbirth/total/all", F.Denominator),
        ["breakdown not in the contract"] = new("E103", t => t.Set(Ethnic + "N", F.Breakdown, "ethnicity"), "stillbirth/ethnicity/N", F.Breakdown),
        ["group in lower case"] = new("W201", t => t.Set(Ethnic + "N", F.Group, "n"), "stillbirth/ethnic_category/n", F.Group),
        ["group neither a code nor one in another case"] = new("E103", t => t.Set(Ethnic + "N", F.Group, "nn"),
            "stillbirth/ethnic_category/nn", F.Group),
        ["month left out of a file in its month's folder"] = new("W202", t => t.SetEnvelope(F.ReportingPeriod, null),
            Drop: new DropPath("R0A", "2026-10", "x")),
        ["indicator not in the catalogue"] = new("E207", t => t.Add("stillbirths", "total", "all", "1", "10"), "stillbirths/total/all", F.Indicator),
        ["ethnic code that does not exist"] = new("E208", t => t.Set(Ethnic + "H", F.Group, "I"), Ethnic + "I", F.Group),
        ["decile 11"] = new("E208", t => t.Set("stillbirth/imd_decile/10", F.Group, "11"), "stillbirth/imd_decile/11", F.Group),
        ["total row with a group other than all"] = new("E208", t => t.Set("stillbirth/total/all", F.Group, "A"), "stillbirth/total/A", F.Group),
        ["numerator above denominator"] = new("E205", t => t.Set(Ethnic + "N", F.Numerator, "150"), Ethnic + "N", F.Numerator),
        ["numerator with a zero denominator"] = new("E206", t => t.Set(Ethnic + "Z", F.Numerator, "1").Set(Ethnic + "Z", F.Denominator, "0"), Ethnic + "Z", F.Denominator),
        ["duplicate row"] = new("E203", t => t.Add("stillbirth", "ethnic_category", "N", "1", "140")),
        ["missing total"] = new("E202", t => t.Remove("caesarean/total/all"), "caesarean/imd_quintile/1"),
        ["groups do not add up"] = new("E204", t => t.Set(Ethnic + "A", F.Denominator, "690"), Ethnic + "A"),
        ["both IMD breakdowns"] = new("E209", t => t.Add("caesarean", "imd_decile", "1", "400", "1180"), "caesarean/imd_quintile/1"),
        ["NHS number pasted as a group"] = new("E301", t => t.Set(Ethnic + "N", F.Group, "9434765919"), Ethnic + "9434765919", F.Group),
        ["NHS number with spaces in a count"] = new("E301", t => t.Set(Ethnic + "N", F.Numerator, "943 476 5919"), Ethnic + "N", F.Numerator),
        ["postcode pasted as a group"] = new("E302", t => t.Set(Ethnic + "N", F.Group, "SW1A 1AA"), Ethnic + "SW1A 1AA", F.Group),
        ["organisation not in the reference data"] = new("E210", t => t.SetEnvelope(F.OrganisationCode, "R9Z"), F.OrganisationCode),
        ["trust closed before the period"] = new("E211", t => t.SetEnvelope(F.OrganisationCode, "RA4"), F.OrganisationCode),
        ["organisation code in lower case"] = new("E103", t => t.SetEnvelope(F.OrganisationCode, "r0a"), F.OrganisationCode),
        ["period in the future"] = new("E212", t => t.SetEnvelope(F.ReportingPeriod, "2027-01"), F.ReportingPeriod),
        ["month 13"] = new("E103", t => t.SetEnvelope(F.ReportingPeriod, "2026-13"), F.ReportingPeriod),
        ["month before the collection began"] = new("E216", t => t.SetEnvelope(F.ReportingPeriod, "2014-06"), F.ReportingPeriod),
        ["year before 1900"] = new("E213", t => t.SetEnvelope(F.ReportingPeriod, "1850-05"), F.ReportingPeriod),
        ["file in another trust's folder"] = new("E214", t => t, F.OrganisationCode, Drop: new DropPath("R1F", "2026-10", "x")),
        ["file in another month's folder"] = new("E215", t => t, F.ReportingPeriod, Drop: new DropPath("R0A", "2026-09", "x")),
        ["sender that is not an email"] = new("E103", t => t.SetEnvelope(F.SubmittedBy, "analyst at nhs"), F.SubmittedBy),
        ["schema version 2.0"] = new("E103", t => t.SetEnvelope(F.SchemaVersion, "2.0"), F.SchemaVersion),
        ["no organisation"] = new("E101", t => t.SetEnvelope(F.OrganisationCode, null)),
        ["no measures"] = new("E201", t => { t.Rows.Clear(); return t; }),
        ["ethnicity not recorded for 17%"] = new("W401", t => t.Set(Ethnic + "A", F.Denominator, "600").Set(Ethnic + "Z", F.Denominator, "160"), Ethnic + "A"),
        ["IMD not assignable for 12%"] = new("W402", t => t.Set("stillbirth/imd_decile/1", F.Denominator, "140").Set("stillbirth/imd_decile/U", F.Denominator, "140"), "stillbirth/imd_decile/1"),
    };

    public static TheoryData<string, string> CaseFormats()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Cases.Keys)
        {
            foreach (var format in SubmissionTable.Formats)
            {
                data.Add(name, format);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseFormats))]
    public async Task Each_mistake_gives_one_issue_code_located_where_the_submitter_looks(string mistake, string format)
    {
        var rule = Cases[mistake];
        var table = rule.Break(SubmissionTable.Valid());

        var result = await ValidateAsync("r0a-2026-10." + format, table.Render(format), rule.Drop);

        var group = result.SingleGroup();
        Assert.Equal(rule.Code, group.Code);
        var issue = group.Examples[0];
        Assert.False(string.IsNullOrWhiteSpace(issue.Message));
        Assert.False(string.IsNullOrWhiteSpace(issue.Fix));
        Assert.DoesNotContain("{", issue.Message + issue.Fix, StringComparison.Ordinal);
        if (rule.Code.StartsWith('W'))
        {
            Assert.Equal(ValidationOutcome.AcceptedWithWarnings, result.Report.Outcome);
            Assert.NotNull(result.Submission);
        }
        else
        {
            Assert.Equal(ValidationOutcome.Rejected, result.Report.Outcome);
            Assert.Null(result.Submission);
            Assert.Equal(1, group.Count);
        }

        if (rule.Key is not null)
        {
            AssertAt(issue, format, table, rule.Key, rule.Field);
        }
    }

    [Theory]
    [InlineData(SubmissionTable.Json)]
    [InlineData(SubmissionTable.Csv)]
    [InlineData(SubmissionTable.Xlsx)]
    public async Task Valid_file_is_accepted_with_the_same_measures_in_every_format(string format)
    {
        var result = await ValidateAsync("r0a-2026-10." + format, SubmissionTable.Valid().Render(format), new DropPath("R0A", "2026-10", "f"));

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        var expected = Valid();
        Assert.Equal((expected.SchemaVersion, expected.OrganisationCode, expected.ReportingPeriod, expected.SubmittedBy),
            (result.Submission!.SchemaVersion, result.Submission.OrganisationCode, result.Submission.ReportingPeriod, result.Submission.SubmittedBy));
        Assert.Equal(expected.Measures, result.Submission.Measures);
        Assert.Equal(Valid().Measures.Count, result.Report.RowCount);
        Assert.Equal("R0A", result.Report.OrganisationCode);
        Assert.Equal(format, result.Report.Format);
    }

    [Theory]
    [InlineData(SubmissionTable.Json)]
    [InlineData(SubmissionTable.Csv)]
    [InlineData(SubmissionTable.Xlsx)]
    public async Task Personal_data_is_never_echoed_in_full(string format)
    {
        var table = SubmissionTable.Valid().Set(Ethnic + "N", F.Group, "943-476-5919").Set(Ethnic + "H", F.Group, "LS1 4AP");

        var result = await ValidateAsync("r0a." + format, table.Render(format));

        var text = System.Text.Json.JsonSerializer.Serialize(result.Report);
        Assert.DoesNotContain("5919", text, StringComparison.Ordinal);
        Assert.DoesNotContain("4AP", text, StringComparison.Ordinal);
        Assert.Equal(["E301", "E302"], result.Codes());
        Assert.Equal("943*******", result.Report.Groups[0].Examples[0].Value);
        Assert.Equal("LS1 ***", result.Report.Groups[1].Examples[0].Value);
    }

    [Fact]
    public async Task Typo_in_one_rows_indicator_names_the_code_and_the_sums_it_breaks()
    {
        var table = SubmissionTable.Valid().Set(Ethnic + "N", F.Indicator, "stilbirth");

        var result = await ValidateAsync("r0a.csv", table.ToCsv());

        Assert.Equal(["E204", "E207"], result.Codes());
        Assert.Contains("'stilbirth' is not an indicator", result.Report.Groups[1].Examples[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,180")]
    [InlineData("1 180")]
    public async Task Thousands_separator_gets_the_number_to_write_instead(string typed)
    {
        var table = SubmissionTable.Valid().Set("stillbirth/total/all", F.Denominator, typed);

        var issue = (await ValidateAsync("r0a.csv", table.ToCsv())).SingleIssue();

        Assert.Equal($"denominator must be a whole number, but is '{typed}'. The thousands separator makes it text.", issue.Message);
        Assert.Equal("Write the number without commas or spaces, for example 1180.", issue.Fix);
    }

    [Fact]
    public async Task Groups_that_do_not_add_up_say_both_sums_and_where_the_total_is()
    {
        var table = SubmissionTable.Valid().Set(Ethnic + "A", F.Denominator, "690");

        var issue = (await ValidateAsync("r0a.csv", table.ToCsv())).SingleIssue();

        Assert.Equal(
            "The ethnic_category groups of 'stillbirth' add up to numerator 3 and denominator 1,170, but the total row says numerator 3 and denominator 1,180 (line 2).",
            issue.Message);
    }

    [Fact]
    public async Task Every_problem_in_every_row_is_counted_but_examples_are_capped()
    {
        var table = SubmissionTable.Valid().SetAll(F.Numerator, "1.5");

        var result = await ValidateAsync("r0a.csv", table.ToCsv(), options: new ValidationOptions { MaxExamplesPerCode = 5 });

        var group = result.SingleGroup();
        Assert.Equal(table.Rows.Count, group.Count);
        Assert.Equal(5, group.Examples.Count);
        Assert.True(group.Truncated);
        Assert.Equal(table.Rows.Count, result.Report.ErrorCount);
    }

    internal static void AssertAt(ValidationIssue issue, string format, SubmissionTable table, string key, string? field)
    {
        var envelope = F.Envelope.Contains(key);
        var row = envelope ? 0 : table.RowOf(key);
        Assert.True(row >= 0, $"row {key} not in the table");
        var column = envelope ? key : field;
        var where = IssueLocationText.Describe(issue.Location);
        switch (format)
        {
            case SubmissionTable.Json:
                var pointer = envelope ? "/" + key : $"/measures/{row}" + (field is null ? string.Empty : "/" + field);
                Assert.True(pointer == issue.Location.JsonPointer, $"expected {pointer}, got {issue.Location.JsonPointer}");
                break;
            case SubmissionTable.Csv:
                Assert.True(row + 2 == issue.Location.Line && column == issue.Location.Column, $"expected line {row + 2} column {column}, got {where}");
                break;
            default:
                var letter = column is null ? null : ((char)('A' + Array.IndexOf(SubmissionTable.Columns, column))).ToString();
                Assert.Equal("measures", issue.Location.Sheet);
                Assert.True(letter is null ? issue.Location.Line == row + 2 : issue.Location.Cell == $"{letter}{row + 2}", $"expected {letter}{row + 2}, got {where}");
                break;
        }
    }
}
