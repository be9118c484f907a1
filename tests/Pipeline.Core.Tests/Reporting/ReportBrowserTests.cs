using System.Diagnostics;
using AngleSharp.Html.Parser;
using Pipeline.Core.Detection;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Tests.Shared;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Core.Tests.Reporting;

/// <summary>
/// Opens a realistic report (real engine over seeded counts for a real LMNS) in headless Chromium: the DOM the browser
/// builds must hold the heat map, charts and panels, and a screenshot is saved to
/// <c>artifacts/screenshots/equity-report.png</c> (with the page beside it) for people to look at. Skipped when Chromium is not installed
/// (<c>apt-get install -y chromium</c>).
/// </summary>
public sealed class ReportBrowserTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly string _temp = Directory.CreateTempSubdirectory("equity-report-").FullName;

    [Fact]
    public async Task Chromium_renders_the_heat_map_charts_and_panels_of_a_realistic_report()
    {
        SkipWithoutChromium();
        var (model, _, _) = RealisticCounts.Report(ReferenceData.Embedded, "QOP");
        var page = await WriteReport(model);

        var dom = await RunChromium(["--dump-dom", new Uri(page).AbsoluteUri]);
        var document = new HtmlParser().ParseDocument(dom);

        var heatMap = document.QuerySelector("#heatmap-lmns")!;
        Assert.Equal(model.Indicators.Count * 8, heatMap.QuerySelectorAll("td.cell").Length);
        Assert.Equal(model.Indicators.Count, heatMap.QuerySelectorAll("td.grad").Length);
        Assert.Equal(model.Organisations.Count, document.QuerySelectorAll("table.heatmap").Length);
        var forestKeys = model.Comparisons.Where(c => c.Signal != Signal.None).Select(c => (c.Level, c.OrganisationCode, c.IndicatorCode)).Distinct().Count();
        Assert.Equal(forestKeys, document.QuerySelectorAll("svg.forest").Length);
        // A trend is drawn when at least one of its months can be published (no count of 1–7 behind it).
        Assert.Equal(model.Alerts.Count(a => a.Trend is { Points.Count: > 0 }), document.QuerySelectorAll("svg.trend").Length);
        Assert.NotEmpty(document.QuerySelectorAll("svg.trend line.limit"));
        var dataQualityRows = model.DataQuality.Select(d => (d.Level, d.OrganisationCode, d.Breakdown)).Distinct().Count();
        Assert.Equal(dataQualityRows, document.QuerySelector("#dq-h")!.ParentElement!.QuerySelectorAll("tbody tr").Length);
        Assert.Equal(model.Submissions.Count, document.QuerySelector("#subs-h")!.ParentElement!.QuerySelectorAll("tbody tr").Length);
        Assert.Contains(document.QuerySelectorAll(".badge.missing"), b => b.TextContent == "Missing");
        Assert.Contains(document.QuerySelectorAll(".badge.late"), b => b.TextContent == "Late");
        Assert.Contains(heatMap.QuerySelectorAll("td.alert"), td => td.TextContent.Contains("▲ Alert", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_screenshot_of_the_realistic_report_is_saved_as_an_artefact()
    {
        SkipWithoutChromium();
        var (model, _, _) = RealisticCounts.Report(ReferenceData.Embedded, "QOP");
        var page = await WriteReport(model);
        var screenshot = RepositoryPaths.Combine("artifacts", "screenshots", "equity-report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        await RunChromium([$"--screenshot={screenshot}", "--window-size=1400,2400", "--hide-scrollbars", new Uri(page).AbsoluteUri]);
        File.Copy(page, Path.ChangeExtension(screenshot, ".html"), overwrite: true);

        var bytes = await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken);
        Assert.True(bytes.Length > 50_000, $"the screenshot is only {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(1400, ReadBigEndian(bytes, 16));
        Assert.Equal(2400, ReadBigEndian(bytes, 20));
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static void SkipWithoutChromium()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (Debian: apt-get install -y chromium); the browser checks of the report need it.");
        }
    }

    private async Task<string> WriteReport(EquityReportModel model)
    {
        var path = Path.Combine(_temp, "equity-report.html");
        await File.WriteAllTextAsync(path, EquityReportHtml.Render(model), TestContext.Current.CancellationToken);
        return path;
    }

    /// <summary>Runs headless Chromium with no network, sync or first-run work and a throwaway profile; returns stdout.</summary>
    private async Task<string> RunChromium(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] flags =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(_temp, "profile")}",
        ];
        foreach (var argument in flags.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static int ReadBigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
}
