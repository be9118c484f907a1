using Newtonsoft.Json.Linq;
using NJsonSchema;
using Pipeline.Core.Tests.Fixtures;
using Pipeline.Core.Validation;
using Pipeline.Tests.Shared;
using static Pipeline.Core.Tests.Fixtures.Submissions;

namespace Pipeline.Core.Tests.Validation;

/// <summary>The published contract files: the schema is the embedded one, and every example in schemas/examples passes.</summary>
public class SchemaExamplesTests
{
    private static readonly string Examples = RepositoryPaths.Combine("schemas", "examples");

    [Theory]
    [InlineData("submission.json")]
    [InlineData("submission.csv")]
    [InlineData("submission.xlsx")]
    public async Task Example_file_is_accepted(string name)
    {
        var path = Path.Combine(Examples, name);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Examples);
            await File.WriteAllBytesAsync(path, SubmissionTable.Valid().Render(Path.GetExtension(name)[1..]), TestContext.Current.CancellationToken);
        }

        var result = await ValidateAsync(name, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));

        Assert.True(result.Report.Outcome == ValidationOutcome.Accepted, Describe(result.Report));
        Assert.Equal(Valid().Measures, result.Submission!.Measures);
    }

    [Fact]
    public async Task Json_example_passes_the_whole_schema_read_from_the_repository_file()
    {
        var root = RepositoryPaths.Root;
        var schema = await JsonSchema.FromFileAsync(Path.Combine(root, "schemas", "equity-submission.v1.schema.json"), TestContext.Current.CancellationToken);

        var errors = schema.Validate(await File.ReadAllTextAsync(Path.Combine(Examples, "submission.json"), TestContext.Current.CancellationToken));

        Assert.Empty(errors);
    }

    [Fact]
    public async Task Whole_schema_rejects_what_the_row_by_row_check_rejects()
    {
        var root = RepositoryPaths.Root;
        var schema = await JsonSchema.FromFileAsync(Path.Combine(root, "schemas", "equity-submission.v1.schema.json"), TestContext.Current.CancellationToken);
        var document = JObject.Parse(await File.ReadAllTextAsync(Path.Combine(Examples, "submission.json"), TestContext.Current.CancellationToken));
        document["measures"]![3]!["numerator"] = "12.5%";
        document["measures"]![5]!["group"] = "all of them";

        var errors = schema.Validate(document);

        Assert.Equal(["#/measures[3].numerator", "#/measures[5].group"], errors.SelectMany(Flatten).Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Embedded_schema_is_the_repository_file()
    {
        var root = RepositoryPaths.Root;
        using var embedded = typeof(SubmissionValidator).Assembly.GetManifestResourceStream("schemas/equity-submission.v1.schema.json")!;
        using var reader = new StreamReader(embedded);

        Assert.Equal(File.ReadAllText(Path.Combine(root, "schemas", "equity-submission.v1.schema.json")), reader.ReadToEnd());
    }

    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(NJsonSchema.Validation.ValidationError error) =>
        error is NJsonSchema.Validation.ChildSchemaValidationError child ? child.Errors.SelectMany(e => e.Value).SelectMany(Flatten) : [error];
}
