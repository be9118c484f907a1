using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Pipeline.Core.Detection;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics;
using Pipeline.Core.Tests.Approval;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Core.Tests.Reporting;

public class EquityReportHtmlTests
{
    private const string ApprovedFolder = "tests/Pipeline.Core.Tests/Reporting/Approved";

    [Fact]
    public void The_report_for_a_fixed_model_matches_the_approved_file()
    {
        Approvals.Verify(EquityReportHtml.Render(ReportExamples.Fixed()), ApprovedFolder, "equity_report", "html");
    }

    [Fact]
    public void The_same_model_renders_the_same_bytes()
    {
        Assert.Equal(EquityReportHtml.Render(ReportExamples.Fixed()), EquityReportHtml.Render(ReportExamples.Fixed()));
    }

    [Fact]
    public void The_page_has_no_html_parse_errors()
    {
        // Strict mode throws HtmlParseException (with the position) on the first HTML5 parse error.
        var parser = new HtmlParser(new HtmlParserOptions { IsStrictMode = true });

        var document = parser.ParseDocument(EquityReportHtml.Render(ReportExamples.Fixed()));

        Assert.NotNull(document.QuerySelector("main"));
    }

    [Fact]
    public void The_page_is_self_contained_with_no_script_or_external_resource()
    {
        var document = Parse(ReportExamples.Fixed());

        Assert.Empty(document.QuerySelectorAll("script, link, img, iframe, object, embed"));
        Assert.DoesNotContain("url(", document.QuerySelector("style")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", document.QuerySelector("style")!.TextContent, StringComparison.Ordinal);
        var attributes = document.All.SelectMany(e => e.Attributes).Where(a => a.Name is "src" or "href").ToList();
        Assert.All(attributes, a => Assert.StartsWith("#", a.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void The_heat_map_has_one_cell_per_indicator_and_compared_group_plus_the_gradient()
    {
        var model = ReportExamples.Fixed();
        var heatMap = Parse(model).QuerySelector("#heatmap-lmns")!;

        var rows = heatMap.QuerySelectorAll("tbody tr");
        Assert.Equal(model.Indicators.Count, rows.Length);
        Assert.All(rows, row => Assert.Equal(8, row.QuerySelectorAll("td.cell").Length));
        Assert.All(rows, row => Assert.Single(row.QuerySelectorAll("td.grad")));
        var headers = heatMap.QuerySelectorAll("thead tr:nth-child(2) th").Select(h => h.TextContent).ToList();
        Assert.Equal(["Mixed", "Asian", "Black", "Other", "Q1most deprived", "Q2", "Q3", "Q4"], headers);
    }

    [Fact]
    public void Every_heat_map_cell_carries_its_numbers_in_a_title_and_an_aria_label()
    {
        var cells = Parse(ReportExamples.Fixed()).QuerySelectorAll("table.heatmap td");

        Assert.NotEmpty(cells);
        Assert.All(cells, cell =>
        {
            Assert.False(string.IsNullOrWhiteSpace(cell.GetAttribute("title")));
            Assert.Equal(cell.GetAttribute("title"), cell.GetAttribute("aria-label"));
        });
        var black = Cell(Parse(ReportExamples.Fixed()), "heatmap-lmns", "Antenatal booking", 3);
        Assert.Contains("Black vs White", black.GetAttribute("aria-label"), StringComparison.Ordinal);
        // The ratio and its interval from the published counts (410 of 1,000 against 5,280 of 8,000), Katz as validated in Statistics.
        var katz = Core.Statistics.RiskRatio.Compute(410, 1000, 5280, 8000)!.Ci95;
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"rate ratio 0.62 (95% CI {katz.Lower:0.00}–{katz.Upper:0.00})"),
            black.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains("counts 410 of 1,000", black.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_signal_is_marked_by_a_symbol_and_a_word_not_by_colour_alone()
    {
        var document = Parse(ReportExamples.Fixed());

        var alert = Cell(document, "heatmap-lmns", "Antenatal booking", 3);
        var watch = Cell(document, "heatmap-lmns", "Antenatal booking", 5);
        var none = Cell(document, "heatmap-lmns", "Antenatal booking", 2);
        Assert.Equal("0.62▲ Alert", alert.TextContent);
        Assert.Equal("0.83△ Watch", watch.TextContent);
        Assert.Equal("0.94", none.TextContent);

        // The same colour scale for a signal and a non-signal of equal size: only the text and border tell them apart.
        var sameSize = ReportExamples.Fixed() with
        {
            Comparisons = [.. ReportExamples.Fixed().Comparisons.Select(c => c with { Numerator = 410, Denominator = 1000, ReferenceNumerator = 5280, ReferenceDenominator = 8000 })],
        };
        var twin = Parse(sameSize);
        Assert.Equal(Cell(twin, "heatmap-lmns", "Antenatal booking", 3).GetAttribute("style"), Cell(twin, "heatmap-lmns", "Antenatal booking", 2).GetAttribute("style"));
        Assert.NotEqual(Cell(twin, "heatmap-lmns", "Antenatal booking", 3).TextContent, Cell(twin, "heatmap-lmns", "Antenatal booking", 2).TextContent);
    }

    [Fact]
    public void A_silent_cell_that_could_not_have_detected_a_doubling_says_so_and_gives_its_smallest_detectable_ratio()
    {
        var fixedModel = ReportExamples.Fixed();
        var document = Parse(fixedModel);

        // LMNS stillbirth, IMD Q1: 4,200 births against 50 of 11,700 (rounded from 48), silent. The cell gives the ratio
        // recomputed from the published counts; at about 2 it could just see a doubling, so it is not marked.
        var q1 = Cell(document, "heatmap-lmns", "Stillbirths", 5);
        var q1Mdr = MinimumDetectableRatio.Compute(4200, 50, 11_700, lowerIsWorse: false, Confidence.Alarm, 1.25, 5)!.Value;
        Assert.Contains($"the smallest ratio this 12-month window could alert on is {Format(q1Mdr)} ", Label(q1), StringComparison.Ordinal);
        Assert.Equal(q1Mdr <= 2, !q1.ClassList.Contains("lowpower"));

        // LMNS stillbirth, Mixed: 3 of 610 is suppressed, but the detectable ratio rests on 610 births and the reference's
        // counts, not on the 3 deaths: shown, and the silent cell is marked as unable to see a doubling.
        var mixed = Cell(document, "heatmap-lmns", "Stillbirths", 1);
        var mixedMdr = MinimumDetectableRatio.Compute(610, 50, 11_700, lowerIsWorse: false, Confidence.Alarm, 1.25, 5)!.Value;
        Assert.True(mixedMdr > 2, $"MDR {mixedMdr}");
        Assert.Equal("*can't see 2×", mixed.TextContent);
        Assert.Contains("lowpower", mixed.ClassList);
        Assert.Contains(
            $"could not have detected a doubling: the smallest ratio this 12-month window could alert on is {Format(mixedMdr)} ",
            Label(mixed),
            StringComparison.Ordinal);

        // Booking, lower is worse: 2,000 women against 5,280 of 8,000 can see far less than a doubling; an alert cell keeps its label.
        var asian = Cell(document, "heatmap-lmns", "Antenatal booking", 2);
        Assert.Equal("0.94", asian.TextContent);
        var asianMdr = MinimumDetectableRatio.Compute(2000, 5280, 8000, lowerIsWorse: true, Confidence.Alarm, 1.25, 5)!.Value;
        Assert.Contains($"could alert on is {Format(asianMdr)} ", Label(asian), StringComparison.Ordinal);
        Assert.Equal("0.62▲ Alert", Cell(document, "heatmap-lmns", "Antenatal booking", 3).TextContent);

        // No reference events: nothing could alert, which the cell says rather than staying blank; 6 reference events
        // are suppressed, so the value is withheld, and no count from 1 to 7 could have shown a doubling.
        var none = Parse(fixedModel with { Comparisons = [.. fixedModel.Comparisons.Select(c => c with { ReferenceNumerator = 0 })] });
        Assert.Contains("too few events to tell", Title(Cell(none, "heatmap-lmns", "Stillbirths", 5)), StringComparison.Ordinal);
        Assert.Contains("lowpower", Cell(none, "heatmap-lmns", "Stillbirths", 5).ClassList);
        var six = Parse(fixedModel with { Comparisons = [.. fixedModel.Comparisons.Select(c => c with { ReferenceNumerator = 6 })] });
        Assert.Contains(
            "could not have detected a doubling: the smallest ratio this 12-month window could alert on is withheld",
            Title(Cell(six, "heatmap-lmns", "Stillbirths", 5)),
            StringComparison.Ordinal);

        // Rows whose detectable ratio is unknown (computed before it was stored) are not marked.
        var unknown = Parse(fixedModel with { Comparisons = [.. fixedModel.Comparisons.Select(c => c with { Detectable = null })] });
        Assert.Equal("*", Cell(unknown, "heatmap-lmns", "Stillbirths", 1).TextContent);
        Assert.DoesNotContain("smallest ratio", Title(Cell(unknown, "heatmap-lmns", "Stillbirths", 1)), StringComparison.Ordinal);
    }

    private static string Label(IElement cell) => cell.GetAttribute("aria-label") ?? string.Empty;

    private static string Title(IElement cell) => cell.GetAttribute("title") ?? string.Empty;

    private static string Format(double ratio) => ratio.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_gap_whose_confidence_interval_includes_one_is_drawn_pale_whatever_its_size()
    {
        var (clearBackground, _) = Core.Text.Reports.HeatMap.Colour(Direction.Worse, 3.0, clear: true);
        var (unclearBackground, _) = Core.Text.Reports.HeatMap.Colour(Direction.Worse, 3.0, clear: false);
        var (smallClearBackground, _) = Core.Text.Reports.HeatMap.Colour(Direction.Worse, 1.2, clear: true);

        Assert.True(Lightness(unclearBackground) > Lightness(smallClearBackground));
        Assert.True(Lightness(smallClearBackground) > Lightness(clearBackground));
    }

    [Theory]
    [InlineData(-0.36)]
    [InlineData(0.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_ratio_that_is_not_a_positive_number_is_drawn_neutral_grey(double ratio)
    {
        Assert.Equal(Core.Text.Reports.HeatMap.Colour(Direction.None, 1), Core.Text.Reports.HeatMap.Colour(Direction.Worse, ratio));
    }

    [Fact]
    public void Inhibited_cells_say_so_in_text()
    {
        var cell = Cell(Parse(ReportExamples.Fixed()), "heatmap-r0a", "Stillbirths", 6);

        Assert.Contains("DQ", cell.TextContent, StringComparison.Ordinal);
        Assert.Contains("signals inhibited: IMD not assignable", cell.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_are_suppressed_or_rounded_and_small_per_thousand_rates_are_hidden()
    {
        var document = Parse(ReportExamples.Fixed());
        var text = document.Body!.TextContent;

        // Mixed stillbirths 3 of 610 at the LMNS: the count is *, the denominator rounded, and the rate per 1,000 withheld.
        var mixed = Cell(document, "heatmap-lmns", "Stillbirths", 1).GetAttribute("aria-label")!;
        Assert.Contains("counts * of 610", mixed, StringComparison.Ordinal);
        Assert.Contains("not shown (fewer than 8 events)", mixed, StringComparison.Ordinal);
        Assert.DoesNotContain("4.9 per 1,000", text, StringComparison.Ordinal);

        // Black stillbirths 19 of 1,020 at the trust: rounded to 20 of 1,020; the rate is from the rounded counts (19.61 per
        // 1,000, not the raw 18.63, which with the denominator would give the 19 back).
        Assert.Contains("20 of 1,020", text, StringComparison.Ordinal);
        Assert.DoesNotContain("19 of", text, StringComparison.Ordinal);
        Assert.Contains("19.61 per 1,000", text, StringComparison.Ordinal);
        Assert.DoesNotContain("18.63 per 1,000", text, StringComparison.Ordinal);

        // Bolton: 5 of 12 Black women booked: both counts are small, so no percentage, interval or ratio is published.
        var bolton = Cell(document, "heatmap-rmc", "Antenatal booking", 3);
        Assert.Contains("counts * of 10", bolton.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Contains("figures not shown (fewer than 8 events)", bolton.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.DoesNotContain("50.0%", bolton.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.StartsWith("*", bolton.TextContent, StringComparison.Ordinal);

        // Data quality: 980 of 7,000 stays as it is (already a multiple of 5).
        Assert.Contains("980 of 7,000", document.QuerySelector("#dq-h")!.ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_string_from_the_data_is_html_escaped()
    {
        const string Hostile = "St Mary's & <script>alert(1)</script> \"Trust\"";
        var model = ReportExamples.Fixed();
        model = model with
        {
            LmnsName = Hostile,
            Organisations = [.. model.Organisations.Select(o => o with { Name = Hostile })],
            Submissions = [.. model.Submissions.Select(s => s with { TrustName = Hostile, TrustCode = "<b>X</b>" })],
            Comparisons = [.. model.Comparisons.Select(c => c.Inhibited ? c with { InhibitedReason = Hostile } : c)],
        };

        var html = EquityReportHtml.Render(model);
        var document = new HtmlParser().ParseDocument(html);

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>X</b>", html, StringComparison.Ordinal);
        Assert.Empty(document.QuerySelectorAll("script, b"));
        Assert.Contains(Hostile, document.Title, StringComparison.Ordinal);
        Assert.Contains(document.QuerySelectorAll("table.heatmap caption"), c => c.TextContent.Contains(Hostile, StringComparison.Ordinal));
        Assert.Contains(document.QuerySelectorAll("td"), td => td.GetAttribute("aria-label")?.Contains(Hostile, StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Charts_are_images_with_text_alternatives()
    {
        var document = Parse(ReportExamples.Fixed());

        var charts = document.QuerySelectorAll("svg");
        Assert.Equal(3, document.QuerySelectorAll("svg.forest").Length);
        Assert.Equal(3, document.QuerySelectorAll("svg.trend").Length);
        Assert.All(charts, svg =>
        {
            Assert.Equal("img", svg.GetAttribute("role"));
            Assert.False(string.IsNullOrWhiteSpace(svg.GetAttribute("aria-label")));
            Assert.Equal(svg.GetAttribute("aria-label"), svg.QuerySelector("title")!.TextContent);
            Assert.NotNull(svg.QuerySelector("desc"));
        });
        Assert.All(document.QuerySelectorAll("svg.forest"), svg => Assert.NotNull(svg.ParentElement!.NextElementSibling!.QuerySelector("table.numbers")));
    }

    [Fact]
    public void The_trend_chart_marks_special_cause_points_and_draws_the_limits()
    {
        var trend = Parse(ReportExamples.Fixed()).QuerySelectorAll("svg.trend")[0];

        Assert.Equal(6, trend.QuerySelectorAll("path.special").Length);
        Assert.Equal(12, trend.QuerySelectorAll("circle.pt").Length);
        Assert.Single(trend.QuerySelectorAll("line.mean"));
        Assert.Equal(2, trend.QuerySelectorAll("line.limit").Length);
        Assert.Contains("6 special-cause points, the latest 2026-10 (outside the process limits)", trend.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_series_is_drawn_without_limits_and_says_so()
    {
        var short_ = Parse(ReportExamples.Fixed()).QuerySelectorAll("svg.trend")[2];

        Assert.Empty(short_.QuerySelectorAll("line.limit"));
        Assert.Contains("too few months for process limits", short_.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_have_captions_and_scoped_headers_and_the_page_has_a_language_and_one_h1()
    {
        var document = Parse(ReportExamples.Fixed());

        Assert.Equal("en-GB", document.DocumentElement.GetAttribute("lang"));
        Assert.Single(document.QuerySelectorAll("h1"));
        Assert.All(document.QuerySelectorAll("table"), t => Assert.NotNull(t.QuerySelector("caption")));
        Assert.All(document.QuerySelectorAll("th"), th => Assert.Contains(th.GetAttribute("scope"), new[] { "col", "row", "colgroup" }));
        Assert.All(document.QuerySelectorAll("section"), s => Assert.NotNull(document.GetElementById(s.GetAttribute("aria-labelledby")!)));
    }

    [Fact]
    public void Submission_status_is_written_in_words()
    {
        var panel = Parse(ReportExamples.Fixed()).QuerySelector("#subs-h")!.ParentElement!;

        var rows = panel.QuerySelectorAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(["Bolton NHS Foundation TrustRMCMissingnothing accepted yet", "Manchester University NHS Foundation TrustR0AOn time2026-11-12 09:30 UTC"], rows);
    }

    [Theory]
    [InlineData(Direction.Worse)]
    [InlineData(Direction.Better)]
    [InlineData(Direction.Different)]
    [InlineData(Direction.None)]
    public void Heat_map_text_keeps_wcag_aa_contrast_against_its_cell_at_every_ratio(Direction direction)
    {
        foreach (var clear in new[] { true, false })
        {
            for (var ratio = 0.05; ratio <= 20; ratio *= 1.02)
            {
                var (background, foreground) = Core.Text.Reports.HeatMap.Colour(direction, ratio, clear);

                Assert.True(Contrast(background, foreground) >= 4.5, $"ratio {ratio:0.000}, clear {clear}: {foreground} on {background}: {Contrast(background, foreground):0.00}");
            }
        }
    }

    internal static IElement Cell(IDocument document, string tableId, string indicatorStartsWith, int column)
    {
        var row = document.QuerySelectorAll($"#{tableId} tbody tr").Single(r => r.QuerySelector("th")!.TextContent.StartsWith(indicatorStartsWith, StringComparison.Ordinal));
        return row.QuerySelectorAll("td")[column - 1];
    }

    private static IDocument Parse(EquityReportModel model) => new HtmlParser().ParseDocument(EquityReportHtml.Render(model));

    private static double Lightness(string hex) => Core.Text.Reports.HeatMap.Luminance(
        Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));

    private static double Contrast(string a, string b)
    {
        static double L(string hex) => Core.Text.Reports.HeatMap.Luminance(
            Convert.ToInt32(hex[1..3], 16), Convert.ToInt32(hex[3..5], 16), Convert.ToInt32(hex[5..7], 16));
        var (x, y) = (L(a), L(b));
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }
}
