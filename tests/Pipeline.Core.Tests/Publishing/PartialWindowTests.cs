using AngleSharp.Html.Parser;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Publishing;
using Pipeline.Core.Tests.Alerts;
using Pipeline.Core.Tests.Reporting;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Core.Tests.Publishing;

/// <summary>A window with fewer months of data than its length says so in the email card and the report, in the same words.</summary>
public sealed class PartialWindowTests
{
    private const string Partial = "partial: 9 of 12 months with data";

    [Fact]
    public void An_email_card_on_a_window_with_months_missing_says_it_is_partial_and_a_complete_one_does_not()
    {
        var complete = AlertEmailExample.Ratio("booking_by_10_weeks", "Black", "2026-10", 410, 1000, 6600, 10_000).Evidence;
        var partial = complete with { MonthsPresent = 9 };

        var window = Window(partial);

        Assert.Equal($"12 months, 2025-11 to 2026-10, 9 with accepted data ({Partial})", window);
        Assert.DoesNotContain("partial", Window(complete), StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_whose_windows_are_all_complete_has_no_partial_window_sentence()
    {
        var model = ReportExamples.Fixed();
        model = model with { Comparisons = [.. model.Comparisons.Select(c => c with { MonthsPresent = c.WindowMonths })] };

        var document = new HtmlParser().ParseDocument(EquityReportHtml.Render(model));

        Assert.Null(document.QuerySelector("p.partial"));
        Assert.DoesNotContain("partial", document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_says_a_window_is_partial_in_the_cell_the_signal_panel_and_the_forest_table_and_only_there()
    {
        var model = ReportExamples.Fixed();
        var black = model.Comparisons.Single(c => c is { Level: Level.Lmns, GroupCode: "Black", IndicatorCode: "booking_by_10_weeks" });
        model = model with
        {
            Comparisons = [.. model.Comparisons.Select(c => c with { MonthsPresent = c == black ? 9 : c.WindowMonths })],
        };

        var document = new HtmlParser().ParseDocument(EquityReportHtml.Render(model));

        var cell = Assert.Single(
            document.QuerySelectorAll("td.cell[title]"), c => c.GetAttribute("title")!.Contains(Partial, StringComparison.Ordinal));
        Assert.StartsWith("Black vs White, Antenatal booking", cell.GetAttribute("title"), StringComparison.Ordinal);
        var panel = document.QuerySelectorAll("article.signal")
            .Single(a => a.QuerySelector("h3")!.TextContent.Contains("Black vs White: Antenatal", StringComparison.Ordinal)
                && a.QuerySelector("h3")!.TextContent.Contains("Greater Manchester", StringComparison.Ordinal));
        Assert.Contains($"12-month window, {Partial}", panel.TextContent, StringComparison.Ordinal);
        // The forest plot's table row for that group, and nowhere else on the page.
        Assert.Single(document.QuerySelectorAll("table.data td"), td => td.TextContent == $"12-month window, {Partial}");
        Assert.Equal(2, document.Body!.TextContent.Split(Partial).Length - 1);
        Assert.StartsWith($"1 of {model.Comparisons.Count + model.Gradients.Count} comparisons rest on a partial window",
            document.QuerySelector("section[aria-labelledby=summary-h] p.partial")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(12, 12, false)]
    [InlineData(12, 11, true)]
    [InlineData(36, 9, true)]
    [InlineData(12, null, false)]
    public void A_window_is_partial_exactly_when_fewer_months_are_present_than_its_length(int window, int? present, bool partial)
    {
        Assert.Equal(partial, WindowText.IsPartial(window, present));
        Assert.Equal(partial, WindowText.Partial(window, present) is not null);
    }

    private static string Window(AlertEvidence evidence) =>
        EvidenceFormatter.Lines(evidence, null, AlertRule.Ratio, "Black", "White").Single(l => l.Label == "Window").Value;
}
