using System.Text;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using Pipeline.Core.Text.Receipts;
using Pipeline.Tests.Shared;

namespace Pipeline.Core.Tests.Validation;

public class ErrorCatalogueTests
{
    [Fact]
    public void Codes_are_unique_and_shaped_by_severity()
    {
        Assert.Equal(ErrorCatalogue.All.Count, ErrorCatalogue.All.Select(d => d.Code).Distinct().Count());
        Assert.All(ErrorCatalogue.All, d =>
        {
            Assert.Matches(@"^[EW]\d{3}$", d.Code);
            Assert.Equal(d.Code[0] == 'E' ? Severity.Error : Severity.Warning, d.Severity);
            Assert.False(string.IsNullOrWhiteSpace(d.Title));
            Assert.False(string.IsNullOrWhiteSpace(d.MessageTemplate));
            Assert.False(string.IsNullOrWhiteSpace(d.FixTemplate));
        });
    }

    [Fact]
    public void Placeholders_are_filled_once_so_a_value_that_looks_like_a_placeholder_stays_as_written()
    {
        var text = ErrorDefinition.Fill("'{value}' is wrong. {hint} {unknown}", [KeyValuePair.Create("value", "{hint}"), KeyValuePair.Create("hint", "Fix it.")]);

        Assert.Equal("'{hint}' is wrong. Fix it. {unknown}", text);
    }

    /// <summary>One small real file per file-level and structure code (the row rules are in <see cref="ContractRuleTests.Cases"/>).</summary>
    private static readonly Dictionary<string, Func<(string Name, byte[] Bytes, ValidationOptions? Options)>> FileCases = new()
    {
        ["E001"] = () => ("r0a.csv", SubmissionTable.Valid().Render("csv"), new ValidationOptions { MaxFileBytes = 100 }),
        ["E002"] = () => ("r0a.ods", [1, 2, 3], null),
        ["E003"] = () => ("r0a.csv", [], null),
        ["E004"] = () => ("r0a.xlsx", "not a workbook"u8.ToArray(), null),
        ["E005"] = () => ("r0a.csv", [.. "organisation_code,x\nR0A,"u8, 0xA3, .. "5\n"u8], null),
        ["E006"] = () => ("r0a.json", "{\"measures\": [} "u8.ToArray(), null),
        ["E007"] = () => ("r0a.json", "{\"measures\": ["u8.ToArray(), null),
        ["E008"] = () => ("r0a.json", Encoding.UTF8.GetBytes("{\"a\":" + new string('[', 40) + new string(']', 40) + "}"), null),
        ["E009"] = () => ("r0a.json", Encoding.UTF8.GetBytes(SubmissionTable.Valid().ToJson().Replace("{\n", "{\n  \"organisation_code\": \"R0A\",\n", StringComparison.Ordinal)), null),
        ["E011"] = () => ("r0a.json", "[1, 2]"u8.ToArray(), null),
        ["E012"] = () => ("r0a.csv", Encoding.UTF8.GetBytes(SubmissionTable.Valid().ToCsv() + "R0A,\"2026-10\n"), null),
        ["E013"] = () => ("r0a.xlsx", ZipFiles.OfZeros(("xl/workbook.xml", 10), ("xl/worksheets/sheet1.xml", 8 * 1024 * 1024)), null),
        ["E014"] = () => ("r0a.csv", "organisation_code,reporting_period,indicator,breakdown,group,numerator\nR0A,2026-10,stillbirth,total,all,1\n"u8.ToArray(), null),
        ["E015"] = () => ("r0a.csv", Encoding.UTF8.GetBytes(SubmissionTable.Valid().ToCsv().Replace("schema_version\n", "group\n", StringComparison.Ordinal)), null),
        ["E016"] = () => ("r0a.json", SubmissionTable.Valid().Render("json"), new ValidationOptions { MaxMeasureRows = 2 }),
        ["E017"] = () => ("r0a.csv", Encoding.UTF8.GetBytes(SubmissionTable.Valid().ToCsv().TrimEnd('\n') + "\nR1F,2026-10,stillbirth,ethnic_category,R,0,0\n"), null),
        ["E018"] = () => ("r0a.csv", Encoding.UTF8.GetBytes(SubmissionTable.Valid().ToCsv().Replace("1.0\n", "1.0,,x\n", StringComparison.Ordinal)), null),
        ["E019"] = () => ("r0a.xlsx", new SubmissionTable().ToXlsx(extra: wb => wb.Worksheet("measures").Clear()), null),
        ["E020"] = () => ("r0a.csv", Encoding.UTF8.GetBytes("Maternity equity submission October 2026\n" + SubmissionTable.Valid().ToCsv()), null),
        // The host passes the mailer's parser (Adapters' MailAddresses, tested there); here a rule with the same verdict on this address.
        ["E217"] = () => ("r0a.csv", SubmissionTable.Valid().SetEnvelope(Pipeline.Core.Submissions.Reading.SubmissionFields.SubmittedBy, "<b>analyst@nhs.net").Render("csv"),
            new ValidationOptions { IsDeliverableAddress = address => !address.Contains('<', StringComparison.Ordinal) }),
        ["E106"] = () => ("r0a.json", "{\"organisation_code\":\"R0A\",\"reporting_period\":\"2026-10\",\"nhs\":1,\"measures\":[]}"u8.ToArray(), null),
    };

    public static TheoryData<string> FileCaseCodes() => [.. FileCases.Keys];

    [Theory]
    [MemberData(nameof(FileCaseCodes))]
    public async Task File_level_code_is_produced_by_its_file(string code)
    {
        var (name, bytes, options) = FileCases[code]();

        var result = await Fixtures.Submissions.ValidateAsync(name, bytes, options: options);

        Assert.True(result.Codes().Contains(code), Fixtures.Submissions.Describe(result.Report));
    }

    [Fact]
    public void Every_code_is_produced_by_at_least_one_test_case()
    {
        var covered = ContractRuleTests.Cases.Values.Select(c => c.Code).Concat(FileCases.Keys).ToHashSet();

        var uncovered = ErrorCatalogue.All.Select(d => d.Code).Except(covered).ToList();
        Assert.True(uncovered.Count == 0, "Codes no test produces: " + string.Join(", ", uncovered));
    }

    [Fact]
    public void Docs_errors_md_is_generated_from_the_catalogue()
    {
        var path = RepositoryPaths.Combine("docs", "errors.md");
        var expected = ErrorCatalogueMarkdown.Render();
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path) && File.ReadAllText(path) == expected,
            $"docs/errors.md is out of date with ErrorCatalogue. Regenerate it: {ErrorCatalogueMarkdown.RegenerateCommand}");
    }
}
