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
        var forestKeys = model.Comparisons.Where(c => c.Signal != Signal.None).Select(c => (c.Level, c.OrganisationCode,
            c.IndicatorCode)).Distinct().Count();
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
        Assert.All(document.QuerySelectorAll("table.heatmap td"), td => Assert.Equal("0", td.GetAttribute("tabindex")));
    }

    [Fact]
    public async Task Chromium_renders_each_group_s_p_chart_the_icons_the_funnel_plots_and_the_glossary()
    {
        SkipWithoutChromium();
        var (model, _, _) = RealisticCounts.Report(ReferenceData.Embedded, "QOP");
        var page = await WriteReport(model);

        var dom = await RunChromium(["--dump-dom", new Uri(page).AbsoluteUri]);
        var document = new HtmlParser().ParseDocument(dom);

        // Every firing group comparison of a common indicator: the group's and the reference group's monthly rate, each on its
        // own p-chart when at least one of its months can be published (no count of 1–7).
        var rare = model.Indicators.Where(i => i.RareEvent).Select(i => i.Code).ToHashSet(StringComparer.Ordinal);
        var charted = model.Alerts.Where(a => a.Monthly is { Count: > 0 } && !rare.Contains(a.IndicatorCode)).ToList();
        Assert.NotEmpty(charted);
        var groupCharts = charted.Count(a => a.Monthly!.Any(m => Shown(m.Numerator, m.Denominator)));
        var referenceCharts = charted.Count(a => a.Monthly!.Any(m => Shown(m.ReferenceNumerator, m.ReferenceDenominator)));
        Assert.Equal(groupCharts, document.QuerySelectorAll("figure[data-role=group] svg.pchart.group").Length);
        Assert.Equal(referenceCharts, document.QuerySelectorAll("figure[data-role=reference] svg.pchart.reference").Length);
        Assert.All(document.QuerySelectorAll("svg.pchart"), svg => Assert.Single(svg.QuerySelectorAll("line.mean")));

        // Rare outcomes: events counted up against the number expected, one chart per firing group.
        var rareAlerts = model.Alerts.Count(a => a.Monthly is { Count: > 0 } && rare.Contains(a.IndicatorCode));
        Assert.True(rareAlerts > 0, "the realistic report has a rare-outcome alert (the planted stillbirth gap)");
        Assert.Equal(rareAlerts, document.QuerySelectorAll("figure[data-role=cumulative] svg.cumulative").Length);

        // Icons: images with a text alternative, repeated in words beside them; a planted gap shows as a concern.
        var icons = document.QuerySelectorAll("svg.mdc-icon");
        Assert.NotEmpty(icons);
        Assert.All(document.QuerySelectorAll(".mdc"), mdc =>
        {
            var svg = mdc.QuerySelector("svg.mdc-icon")!;
            Assert.Equal("img", svg.GetAttribute("role"));
            Assert.Equal(svg.GetAttribute("aria-label"), svg.QuerySelector("title")!.TextContent);
            Assert.Equal(svg.GetAttribute("aria-label"), mdc.QuerySelector(".mdc-text")!.TextContent);
        });
        Assert.Contains(icons, svg => svg.ClassList.Contains("assurance") && svg.ClassList.Contains("concern"));

        // One funnel plot (or a table saying why not) per indicator and group with a firing ratio, SPC or CUSUM signal.
        var funnels = document.QuerySelector("#funnel-h")!.ParentElement!;
        var keys = model.Alerts.Where(a => a.Rule != SignalRule.Gradient).Select(a => (a.IndicatorCode, a.Breakdown, a.GroupCode))
            .Distinct().Count();
        Assert.Equal(keys, funnels.QuerySelectorAll("h3").Length);
        Assert.NotEmpty(funnels.QuerySelectorAll("svg.funnel"));
        Assert.All(funnels.QuerySelectorAll("svg.funnel"), svg =>
        {
            Assert.NotEmpty(svg.QuerySelectorAll("text.funnel-label"));
            Assert.Equal(svg.QuerySelectorAll(".funnel-pt").Length, svg.QuerySelectorAll("text.funnel-label").Length);
        });

        var glossary = document.QuerySelector("#glossary-h")!.ParentElement!;
        Assert.Equal(ReportSections.Terms.Count, glossary.QuerySelectorAll("dl.glossary dt").Length);
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

    [Fact]
    public async Task A_screenshot_of_the_charts_is_saved_as_an_artefact()
    {
        SkipWithoutChromium();
        var (model, _, _) = RealisticCounts.Report(ReferenceData.Embedded, "QOP");
        // The page with only its signal and funnel sections, so the screenshot shows the charts rather than the heat maps.
        var document = new HtmlParser().ParseDocument(EquityReportHtml.Render(model));
        var main = document.QuerySelector("main")!;
        foreach (var section in main.QuerySelectorAll("section").Where(s
            => s.GetAttribute("aria-labelledby") is not ("signals-h" or "funnel-h")))
        {
            section.Remove();
        }

        var page = Path.Combine(_temp, "equity-report-charts.html");
        await File.WriteAllTextAsync(page, document.DocumentElement.OuterHtml, TestContext.Current.CancellationToken);
        var screenshot = RepositoryPaths.Combine("artifacts", "screenshots", "equity-report-charts.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        await RunChromium([$"--screenshot={screenshot}", "--window-size=1400,3000", "--hide-scrollbars", new Uri(page).AbsoluteUri]);
        File.Copy(page, Path.ChangeExtension(screenshot, ".html"), overwrite: true);

        var bytes = await File.ReadAllBytesAsync(screenshot, TestContext.Current.CancellationToken);
        Assert.True(bytes.Length > 50_000, $"the screenshot is only {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>A month's rate may be published: neither count is 1–7 and the denominator rounds above 0.</summary>
    private static bool Shown(long numerator, long denominator) =>
        Core.Publishing.Disclosure.MayShow(numerator, denominator) && Core.Publishing.Disclosure.RoundCount(denominator) > 0;

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
