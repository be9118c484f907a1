using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Validation;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

/// <summary>"Did you mean …?" on the real mistakes trust analysts make, through the real validator.</summary>
public class SuggestionTests
{
    private const string Header = "organisation_code,reporting_period,indicator,breakdown,group,numerator,denominator";

    private static readonly DropPath Drop = new("R0A", "2026-10", "r0a.csv");

    [Fact]
    public async Task A_renamed_month_header_gets_did_you_mean_reporting_period_not_remove_it()
    {
        var csv = Header.Replace("reporting_period", "reporting_month", StringComparison.Ordinal) + "\nR0A,2026-10,stillbirth,total,all,3,1180\n";

        var result = await ValidateAsync("r0a.csv", csv, Drop);

        var issue = Assert.Single(result.Report.Groups.Single(g => g.Code == "E106").Examples);
        Assert.Contains("Did you mean reporting_period?", issue.Message, StringComparison.Ordinal);
        Assert.Equal("Rename it to reporting_period.", issue.Fix);
    }

    [Fact]
    public async Task A_misspelt_json_key_gets_the_contract_name()
    {
        var json = """{"organisation_code":"R0A","reporting_perod":"2026-10","measures":[{"indicator":"stillbirth","breakdown":"total","group":"all","numerator":3,"denominator":1180}]}""";

        var result = await ValidateAsync("r0a.json", json, new DropPath("R0A", "2026-10", "r0a.json"));

        var issue = Assert.Single(result.Report.Groups.Single(g => g.Code == "E106").Examples);
        Assert.Contains("Did you mean reporting_period?", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unrelated_extra_column_is_still_to_be_removed()
    {
        var csv = Header + ",notes\nR0A,2026-10,stillbirth,total,all,3,1180,x\n";

        var issue = (await ValidateAsync("r0a.csv", csv, Drop)).SingleIssue();

        Assert.Equal("E106", issue.Code);
        Assert.StartsWith("Remove it.", issue.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stilbirth", "stillbirth")]
    [InlineData("neonatal death", "neonatal_death")]
    [InlineData("pre_term_birth", "preterm_birth")]
    public async Task A_misspelt_indicator_gets_the_catalogue_code(string written, string code)
    {
        var csv = $"{Header}\nR0A,2026-10,{written},total,all,3,1180\n";

        var result = await ValidateAsync("r0a.csv", csv, Drop);

        Assert.Contains(result.Report.Groups.SelectMany(g => g.Examples), i => (i.Message + " " + i.Fix).Contains($"Did you mean {code}?", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("White British", "'A' (White - British)")]
    [InlineData("Bangladeshi", "'K'")]
    [InlineData("Black British African", "'N'")]
    [InlineData("Pakistani", "'J'")]
    public async Task An_ethnicity_written_as_its_label_gets_its_code(string written, string code)
    {
        var csv = $"{Header}\nR0A,2026-10,stillbirth,ethnic_category,{written},3,1180\n";

        var result = await ValidateAsync("r0a.csv", csv, Drop);

        Assert.Contains(result.Report.Groups.SelectMany(g => g.Examples), i => i.Fix.Contains($"Did you mean {code}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Stillbirth,ethnic_category,a", "group 'a' was read as 'A'.")]
    [InlineData("STILLBIRTH,ethnic_category,A", "indicator 'STILLBIRTH' was read as 'stillbirth'.")]
    [InlineData("stillbirth,Ethnic_Category,A", "breakdown 'Ethnic_Category' was read as 'ethnic_category'.")]
    [InlineData("stillbirth,imd_decile,u", "group 'u' was read as 'U'.")]
    public async Task A_code_in_another_case_is_read_as_the_one_code_it_stands_for_with_a_warning(string codes, string message)
    {
        var csv = $"{Header}\nR0A,2026-10,stillbirth,total,all,3,1180\nR0A,2026-10,{codes},3,1180\n";

        var result = await ValidateAsync("r0a.csv", csv, Drop);

        Assert.Contains(result.Report.Groups.Single(g => g.Code == "W201").Examples, i => i.Message == message
            && i.Severity == Severity.Warning);
        Assert.DoesNotContain(result.Report.Groups, g => g.Code is "E103" or "E207" or "E208");
    }

    [Fact]
    public async Task A_letter_group_under_an_imd_breakdown_is_not_read_as_an_ethnic_code()
    {
        var csv = $"{Header}\nR0A,2026-10,stillbirth,imd_decile,a,3,1180\n";

        var result = await ValidateAsync("r0a.csv", csv, Drop);

        Assert.DoesNotContain(result.Report.Groups, g => g.Code == "W201");
        Assert.Contains(result.Report.Groups, g => g.Code == "E103");
    }

    [Fact]
    public void Group_messages_read_as_english()
    {
        Assert.Equal("Group '{value}' is not one of the {breakdown} groups.{suggestion}", ErrorCatalogue.UnknownGroup.MessageTemplate);
    }

    [Theory]
    [InlineData("White", null)] // several labels start with White: no guess
    [InlineData("Irish", "B")]
    [InlineData("white and black caribbean", "D")]
    public void Ethnicity_labels_are_matched_only_when_one_label_fits(string text, string? code) =>
        Assert.Equal(code, Suggestions.EthnicCategory(text, ReferenceData.Embedded));

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("stillbirht", "stillbirth", 1)] // a swapped pair counts once
    [InlineData("", "abc", 3)]
    public void Edit_distance_is_the_published_optimal_string_alignment_distance(string a, string b, int distance) =>
        Assert.Equal(distance, Suggestions.Distance(a, b));
}
