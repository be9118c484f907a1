using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Writing;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>Runs <c>pipeline validate</c> in-process on real files and checks exit codes and what the user reads.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("pipeline-validate-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Valid_file_exits_0_and_says_accepted()
    {
        var file = await WriteCsvAsync("r0a-2026-10.csv", Valid());

        var (exit, output, error) = await RunAsync("validate", file);

        Assert.Equal(0, exit);
        Assert.StartsWith("r0a-2026-10.csv: ACCEPTED (No problems found) organisation R0A, period 2026-10, 3 rows", output, StringComparison.Ordinal);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Rejected_file_exits_1_and_prints_where_what_and_how_to_fix()
    {
        var path = await WriteCsvAsync("r0a.csv", Valid());
        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken))
            .Replace("stillbirth,ethnic_category,N,1,", "stillbirth,ethnic_category,N,12.5%,", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var (exit, output, _) = await RunAsync("validate", path);

        Assert.Equal(1, exit);
        Assert.Contains("r0a.csv: REJECTED (1 error, 0 warnings)", output, StringComparison.Ordinal);
        Assert.Contains("  E102 Wrong kind of value (1, error)", output, StringComparison.Ordinal);
        Assert.Contains("    at line 3, column 'numerator' [stillbirth/ethnic_category/N] value '12.5%'", output, StringComparison.Ordinal);
        Assert.Contains("      Fix: Enter the numerator as a count of records, not a percentage", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warnings_only_still_exit_0_and_are_listed()
    {
        // 30 of 100 records with ethnicity not stated: accepted, with the data-quality warning.
        var submission = Valid() with
        {
            Measures =
            [
                new("stillbirth", Breakdown.Total, "all", 2, 100),
                new("stillbirth", Breakdown.EthnicCategory, "N", 1, 40),
                new("stillbirth", Breakdown.EthnicCategory, "A", 1, 30),
                new("stillbirth", Breakdown.EthnicCategory, "Z", 0, 30),
            ],
        };
        var path = Path.Combine(_folder.FullName, "r0a.xlsx");
        await using (var stream = File.Create(path))
        {
            await SubmissionWriter.WriteXlsxAsync(submission, stream, TestContext.Current.CancellationToken);
        }

        var (exit, output, _) = await RunAsync("validate", path);

        Assert.Equal(0, exit);
        Assert.StartsWith("r0a.xlsx: ACCEPTED WITH WARNINGS (0 errors, 1 warning)", output, StringComparison.Ordinal);
        Assert.Contains("W401 Ethnicity often not recorded (1, warning)", output, StringComparison.Ordinal);
        Assert.Contains("at sheet 'measures', row 3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_an_array_of_snake_case_reports()
    {
        var good = await WriteCsvAsync("good.csv", Valid());
        var bad = Path.Combine(_folder.FullName, "bad.json");
        await File.WriteAllTextAsync(bad, "{\"measures\": [", TestContext.Current.CancellationToken);

        var (exit, output, _) = await RunAsync("validate", good, bad, "--json");

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Equal("accepted", json.RootElement[0].GetProperty("outcome").GetString());
        Assert.Equal("rejected", json.RootElement[1].GetProperty("outcome").GetString());
        Assert.Equal("E007", json.RootElement[1].GetProperty("groups")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Drop_path_that_disagrees_with_the_content_rejects_the_file()
    {
        var file = await WriteCsvAsync("r0a.csv", Valid());

        var (exit, output, _) = await RunAsync("validate", file, "--drop-path", "submissions/R1F/2026-10/");

        Assert.Equal(1, exit);
        Assert.Contains("E214 Organisation differs from the folder", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drop_path_of_the_wrong_shape_is_a_usage_error()
    {
        var file = await WriteCsvAsync("r0a.csv", Valid());

        var (exit, _, error) = await RunAsync("validate", file, "--drop-path", "R0A");

        Assert.Equal(2, exit);
        Assert.Contains("--drop-path 'R0A' is not of the form", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_exits_2_with_a_message_and_no_stack_trace()
    {
        var missing = Path.Combine(_folder.FullName, "nope.csv");

        var (exit, output, error) = await RunAsync("validate", missing);

        Assert.Equal(2, exit);
        Assert.Contains($"cannot read {missing}: file not found", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_file_argument_is_a_usage_error()
    {
        var (exit, _, error) = await RunAsync("validate");

        Assert.Equal(2, exit);
        Assert.Contains("pipeline: Required argument missing for command: 'validate'.", error, StringComparison.Ordinal);
        Assert.Contains("pipeline --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_command_and_its_options()
    {
        var (exit, output, _) = await RunAsync("validate", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("Check submission files against the contract", output, StringComparison.Ordinal);
        Assert.Contains("--json", output, StringComparison.Ordinal);
        Assert.Contains("--drop-path", output, StringComparison.Ordinal);
        Assert.Contains("--data-dir", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_is_listed_in_the_catalogue()
    {
        Assert.Contains(CommandCatalogue.All(), c => c.Name == "validate");
        var (_, output, _) = await RunAsync("--help");
        Assert.Contains("validate", output, StringComparison.Ordinal);
    }

    private static Submission Valid() => new("1.0", "R0A", new Period(2026, 10), null,
    [
        new("stillbirth", Breakdown.Total, "all", 2, 100),
        new("stillbirth", Breakdown.EthnicCategory, "N", 1, 40),
        new("stillbirth", Breakdown.EthnicCategory, "A", 1, 60),
    ]);

    private async Task<string> WriteCsvAsync(string name, Submission submission)
    {
        var path = Path.Combine(_folder.FullName, name);
        await using var stream = File.Create(path);
        await SubmissionWriter.WriteCsvAsync(submission, stream, TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var exit = await CommandCatalogue.InvokeAsync(args, time, new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
