using Pipeline.Core.Model;
using Pipeline.Core.Reporting;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

/// <summary><c>pipeline report --lmns CODE | --region CODE</c> as a user runs it (the real executable, a real SQLite store).</summary>
public sealed class ReportCommandTests : IDisposable
{
    private static readonly Period October = new(2026, 10);
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-cli-report-").FullName;
    private readonly PipelineProcess _pipeline;

    public ReportCommandTests() => _pipeline = new PipelineProcess(_work);

    [Fact]
    public async Task Report_region_publishes_the_region_report_where_the_region_email_links_and_lists_every_trust_of_the_region()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_work, "in", "R0A", "2026-10")).FullName;
        var submission = SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1));
        await File.WriteAllBytesAsync(Path.Combine(folder, "equity.json"), submission, TestContext.Current.CancellationToken);
        Assert.Equal(0, (await _pipeline.RunAsync("ingest", folder)).ExitCode);

        var (exit, output, error) = await _pipeline.RunAsync("report", "--region", "y62", "--period", "2026-10");

        Assert.True(exit == 0, output + error);
        var path = Path.Combine(_work, "pipeline-data", "reports", "region", "Y62", "2026-10", "equity-report.html");
        Assert.Contains($"Equity report for North West region, 2026-10: {path}", output, StringComparison.Ordinal);
        Assert.Contains("equity alerts firing (", output, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        Assert.Contains("<title>Maternity equity report: North West region (Y62), 2026-10</title>", html, StringComparison.Ordinal);
        var reference = Core.Reference.ReferenceData.Embedded;
        var trusts = EquityReportBuilder.TrustsOf(Core.Alerts.RoutingScope.Region, "Y62", October, reference);
        Assert.True(trusts.Count > 10);
        Assert.All(trusts, t => Assert.Contains($"<td>{t}</td>", html, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--lmns QOP --region Y62")]
    [InlineData("")]
    public async Task Report_needs_exactly_one_of_lmns_and_region(string which)
    {
        string[] args = ["report", .. which.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--period", "2026-10"];

        var (exit, _, error) = await _pipeline.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("name one report: --lmns CODE", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_for_an_unknown_region_exits_2_saying_what_a_region_code_is()
    {
        var (exit, _, error) = await _pipeline.RunAsync("report", "--region", "Z99", "--period", "2026-10");

        Assert.Equal(2, exit);
        Assert.Contains("'Z99' is not an NHS England region", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
