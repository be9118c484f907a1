using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics;
using Pipeline.Core.Statistics.Spc;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Core.Tests.Reporting;

/// <summary>
/// The report's rate charts, Making Data Count icons, funnel plots and glossary (docs/report.md), read back from the HTML
/// with AngleSharp: what is drawn, how it is coloured and described, and that nothing drawn rests on a count of 1–7.
/// </summary>
public class ReportChartsTests
{
    [Fact]
    public void A_firing_signal_shows_the_group_and_the_reference_group_each_on_its_own_p_chart()
    {
        var article = Article(Parse(ReportExamples.Fixed()), "Black vs White: Antenatal booking");

        var group = article.QuerySelector("figure.rate-chart[data-role=group] svg.pchart.group")!;
        var reference = article.QuerySelector("figure.rate-chart[data-role=reference] svg.pchart.reference")!;

        Assert.StartsWith("Monthly rate p-chart, Black,", group.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.StartsWith("Monthly rate p-chart, White,", reference.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.All(new[] { group, reference }, svg =>
        {
            Assert.Equal(ReportExamples.BookingMonths.Count, svg.QuerySelectorAll("circle.pt, path.pt").Length);
            Assert.Single(svg.QuerySelectorAll("line.mean"));
            Assert.Single(svg.QuerySelectorAll("polyline.limit.upper"));
            Assert.Single(svg.QuerySelectorAll("polyline.limit.lower"));
        });
    }

    [Fact]
    public void Special_causes_are_coloured_by_what_they_mean_for_the_indicator()
    {
        // Booking by 10 weeks: higher is better. Black's unusually high July 2026 is an improvement, its low October a concern.
        var group = Article(Parse(ReportExamples.Fixed()), "Black vs White: Antenatal booking").QuerySelector("svg.pchart.group")!;

        var improvement = Assert.Single(group.QuerySelectorAll("path.special.improvement"));
        var concern = Assert.Single(group.QuerySelectorAll("path.special.concern"));

        Assert.StartsWith("2026-07:", improvement.QuerySelector("title")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("outside the process limits, improvement", improvement.QuerySelector("title")!.TextContent,
            StringComparison.Ordinal);
        Assert.StartsWith("2026-10:", concern.QuerySelector("title")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_variation_and_assurance_icons_read_the_latest_month_and_say_so_in_words()
    {
        var figure = Article(Parse(ReportExamples.Fixed()), "Black vs White: Antenatal booking").QuerySelector("figure[data-role=group]")!;

        var icons = figure.QuerySelectorAll(".mdc-icons .mdc");
        var variation = icons[0].QuerySelector("svg.mdc-icon.variation")!;
        var assurance = icons[1].QuerySelector("svg.mdc-icon.assurance")!;

        Assert.Contains("concern", variation.ClassList);
        Assert.Equal(MdcIcons.Describe(VariationIcon.ConcernLow), variation.GetAttribute("aria-label"));
        Assert.Equal("L", variation.QuerySelector("text")!.TextContent);
        // Black around 40% with limits about ±16 points, against White's 66%: the target lies above every month's limits.
        Assert.Contains("concern", assurance.ClassList);
        Assert.Equal("Assurance: consistently failing — every month is expected to be worse than the White rate (66.0%)",
            assurance.GetAttribute("aria-label"));
        Assert.All(icons, icon => Assert.Equal(
            icon.QuerySelector("svg")!.GetAttribute("aria-label"), icon.QuerySelector(".mdc-text")!.TextContent));
    }

    [Fact]
    public void Every_icon_is_an_image_with_a_text_alternative()
    {
        var icons = Parse(ReportExamples.Fixed()).QuerySelectorAll("svg.mdc-icon");

        Assert.NotEmpty(icons);
        Assert.All(icons, svg =>
        {
            Assert.Equal("img", svg.GetAttribute("role"));
            Assert.False(string.IsNullOrWhiteSpace(svg.GetAttribute("aria-label")));
            Assert.Equal(svg.GetAttribute("aria-label"), svg.QuerySelector("title")!.TextContent);
        });
    }

    [Theory]
    [InlineData(Polarity.HigherIsWorse, SpecialCauseSide.High, VariationIcon.ConcernHigh)]
    [InlineData(Polarity.HigherIsWorse, SpecialCauseSide.Low, VariationIcon.ImprovementLow)]
    [InlineData(Polarity.HigherIsBetter, SpecialCauseSide.High, VariationIcon.ImprovementHigh)]
    [InlineData(Polarity.HigherIsBetter, SpecialCauseSide.Low, VariationIcon.ConcernLow)]
    [InlineData(Polarity.Neutral, SpecialCauseSide.High, VariationIcon.NeutralHigh)]
    [InlineData(Polarity.Neutral, SpecialCauseSide.Low, VariationIcon.NeutralLow)]
    public void A_special_cause_is_an_improvement_or_a_concern_by_polarity_and_only_differs_when_neutral(
        Polarity polarity, SpecialCauseSide side, VariationIcon expected)
    {
        Assert.Equal(expected, MdcIcons.Variation(SpecialCauseRule.Shift, side, polarity));
        Assert.Equal(VariationIcon.CommonCause, MdcIcons.Variation(SpecialCauseRule.None, SpecialCauseSide.None, polarity));
        Assert.Equal(polarity == Polarity.Neutral, MdcIcons.Describe(expected).Contains("differs", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.30, 0.50, 0.66, Polarity.HigherIsBetter, AssuranceIcon.ConsistentlyFail)]
    [InlineData(0.30, 0.50, 0.20, Polarity.HigherIsBetter, AssuranceIcon.ConsistentlyPass)]
    [InlineData(0.30, 0.50, 0.40, Polarity.HigherIsBetter, AssuranceIcon.HitAndMiss)]
    [InlineData(0.003, 0.009, 0.002, Polarity.HigherIsWorse, AssuranceIcon.ConsistentlyFail)]
    [InlineData(0.003, 0.009, 0.012, Polarity.HigherIsWorse, AssuranceIcon.ConsistentlyPass)]
    [InlineData(0.30, 0.50, 0.66, Polarity.Neutral, AssuranceIcon.None)]
    public void Assurance_compares_the_target_with_the_latest_limits(double lower, double upper, double target, Polarity polarity,
        AssuranceIcon expected)
    {
        Assert.Equal(expected, MdcIcons.Assurance(lower, upper, target, polarity));
    }

    [Fact]
    public void A_neutral_indicator_s_special_cause_is_purple_and_differs()
    {
        var caesarean = new ReportIndicator("caesarean", "Caesarean births (%)", 100, Polarity.Neutral);
        List<(Period, long, long)> months = [.. Enumerable.Range(0, 14).Select(i => (ReportExamples.October.AddMonths(i - 13), i == 13
            ? 300L : 100L + (i % 2 * 10), 300L))];

        var svg = new HtmlParser().ParseDocument(RateChartSvg.Render(RateSeries.Publish("Asian", false, months), caesarean, "test"))
            .QuerySelector("svg")!;

        var special = Assert.Single(svg.QuerySelectorAll("path.special"));
        Assert.Contains("neutral", special.ClassList);
        Assert.Contains("differs", special.QuerySelector("title")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(svg.QuerySelectorAll(".improvement, .concern"));
    }

    [Fact]
    public void A_month_with_a_count_of_1_to_7_is_left_off_the_p_chart_and_the_chart_says_so()
    {
        List<(Period, long, long)> months = [.. Enumerable.Range(0, 14).Select(i => (ReportExamples.October.AddMonths(i - 13), i == 5
            ? 3L : 40L, 400L))];

        var series = RateSeries.Publish("Mixed", false, months);
        var svg = new HtmlParser().ParseDocument(RateChartSvg.Render(series, ReportExamples.Booking, "test")).QuerySelector("svg")!;

        Assert.Equal(1, series.HiddenMonths);
        Assert.DoesNotContain(series.Months, m => m.Period == ReportExamples.October.AddMonths(5 - 13));
        Assert.Equal(13, svg.QuerySelectorAll("circle.pt, path.pt").Length);
        Assert.Contains("1 month not shown (fewer than 8 events)", svg.GetAttribute("aria-label"), StringComparison.Ordinal);
        // The centre is the baseline's pooled rate from the rounded totals: 11 × 40 + 3 = 443 → 445 of 4,800 (12 × 400).
        Assert.Equal(445.0 / 4800, series.Centre!.Value, 12);
    }

    [Fact]
    public void A_baseline_resting_on_a_count_of_1_to_7_gives_points_but_no_limits()
    {
        List<(Period, long, long)> months = [.. Enumerable.Range(0, 14).Select(i => (ReportExamples.October.AddMonths(i - 13), i == 3
            ? 3L : i == 13 ? 9L : 0L, 400L))];

        var series = RateSeries.Publish("Other", false, months);

        Assert.Null(series.Centre);
        Assert.All(series.Months, m => Assert.Null(m.Point));
        Assert.Equal("the first 12 months hold fewer than 8 events, so no limits", series.NoLimitsReason);
    }

    [Fact]
    public void The_p_chart_limits_stay_within_0_and_100_percent()
    {
        // A small group with a high rate: 3σ above 90% of 20 is 110%; the drawn limit stops at 100.
        List<(Period, long, long)> months = [.. Enumerable.Range(0, 12).Select(i => (ReportExamples.October.AddMonths(i - 11), 18L, 20L))];

        var series = RateSeries.Publish("Asian", false, months);

        Assert.All(series.Months, m => Assert.Equal(1.0, m.Point!.UpperLimit));
        Assert.All(series.Months, m => Assert.True(m.Point!.LowerLimit >= 0));
    }

    [Fact]
    public void A_rare_outcome_shows_its_events_counted_up_against_the_number_expected()
    {
        var article = Article(Parse(ReportExamples.Fixed()), "Black vs White: Stillbirths");

        var figure = Assert.Single(article.QuerySelectorAll("figure.rate-chart"));
        var svg = figure.QuerySelector("svg.cumulative")!;

        Assert.Equal("cumulative", figure.GetAttribute("data-role"));
        Assert.Empty(article.QuerySelectorAll("svg.pchart"));
        Assert.Single(svg.QuerySelectorAll("polyline.expected"));
        Assert.Equal(2, svg.QuerySelectorAll("polyline.limit").Length);
        Assert.Equal(2, svg.QuerySelectorAll("polyline.limit95").Length);
        // 12-month window, 1 or 2 events a month: the running total passes 7 in the 5th month, so 8 of 12 months are drawn.
        var window = ReportExamples.StillbirthMonths.TakeLast(12).ToList();
        var drawn = window.Select((m, i) => window.Take(i + 1).Sum(x => x.Numerator)).Count(total => total > 7);
        Assert.Equal(drawn, svg.QuerySelectorAll("circle.pt, path.pt").Length);
        Assert.Contains($"{12 - drawn} months not shown (fewer than 8 events)", svg.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_rare_outcome_chart_flags_a_running_total_above_the_99_8_range_as_a_concern()
    {
        var window = ReportExamples.StillbirthMonths.TakeLast(12).ToList();

        var series = CumulativeSeries.Publish(window)!;

        // White: 54 of 11,700 → rounded 55 of 11,700; Black ~16 events among ~1,020 births against ~4.8 expected.
        Assert.Equal(55.0 / 11700, series.ReferenceRate, 12);
        var last = series.Months[^1].Point;
        Assert.Equal(1, last.BeyondAlarm);
        Assert.Equal(VariationIcon.ConcernHigh, series.Variation(ReportExamples.Stillbirth));
        Assert.Equal(CumulativeEvents.Range(last.Expected, Confidence.Alarm), last.Limits998);
    }

    [Fact]
    public void The_funnel_plot_labels_each_trust_and_never_plots_one_resting_on_a_count_of_1_to_7()
    {
        var model = WithBlackBookingAtTheTrusts(ReportExamples.Fixed(), r0a: (800, 2600));
        var funnel = FunnelFor(Parse(model), "Antenatal booking by 10+0 weeks (%) — Black");

        var svg = funnel.QuerySelector("svg.funnel")!;
        var table = funnel.QuerySelector("table.funnel-table")!;

        // R0A: 800 of 2,600 (30.8%) against the LMNS's 410 of 1,000 (41.0%): far below the 99.8% limit, and lower is worse.
        Assert.Equal(["R0A"], svg.QuerySelectorAll("text.funnel-label").Select(t => t.TextContent));
        var point = Assert.Single(svg.QuerySelectorAll(".funnel-pt"));
        Assert.Contains("concern", point.ClassList);
        Assert.Contains("below the 99.8% limit", point.QuerySelector("title")!.TextContent, StringComparison.Ordinal);
        // RMC: 5 of 12 — suppressed, so not plotted, and the table says why.
        var rmc = table.QuerySelectorAll("tbody tr").Single(tr => tr.QuerySelector("td")!.TextContent == "RMC");
        Assert.Equal("fewer than 8 events: not plotted", rmc.QuerySelectorAll("td")[^1].TextContent);
        Assert.DoesNotContain("RMC", svg.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 not plotted", svg.GetAttribute("aria-label"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_funnel_limits_are_the_phe_proportion_limits_around_the_lmns_rate()
    {
        var model = WithBlackBookingAtTheTrusts(ReportExamples.Fixed(), r0a: (800, 2600));

        var data = FunnelData.Publish(model, "booking_by_10_weeks", ComparisonBreakdown.EthnicGroup, "Black")!;

        Assert.Equal(0.41, data.Centre, 12);
        // 800 of 2,600 = 0.3077; the 99.8% lower limit at 2,600 is 0.41 − 3.09·√(0.41·0.59/2600) = 0.3802.
        Assert.Equal(0.3802, FunnelLimits.Proportion(0.41, 2600, Confidence.Alarm).Lower, 4);
        Assert.Equal(FunnelSignificance.Low0001, FunnelData.Position(data.Trusts.Single(t => t.Trust.Code == "R0A"), data.Centre));
    }

    [Fact]
    public void There_is_one_funnel_plot_per_group_with_a_firing_ratio_spc_or_cusum_signal()
    {
        var model = ReportExamples.Fixed();

        var section = Parse(model).QuerySelector("#funnel-h")!.ParentElement!;

        var expected = model.Alerts.Where(a => a.Rule != SignalRule.Gradient).Select(a => (a.IndicatorCode, a.Breakdown, a.GroupCode))
            .Distinct().Count();
        Assert.Equal(expected, section.QuerySelectorAll("h3").Length);
    }

    [Fact]
    public void The_glossary_explains_every_term_the_report_uses_in_plain_words()
    {
        var glossary = Parse(ReportExamples.Fixed()).QuerySelector("#glossary-h")!.ParentElement!;

        var terms = glossary.QuerySelectorAll("dl.glossary dt").Select(dt => dt.TextContent).ToList();

        foreach (var needed in new[] { "SII", "RII", "Wilson interval", "Rate ratio", "Watch and alert", "CUSUM",
            "Minimum detectable ratio", "p-chart", "Funnel plot", "Making Data Count icons" })
        {
            Assert.Contains(terms, t => t.StartsWith(needed, StringComparison.Ordinal));
        }

        // Short sentences: none of the explanations runs past 40 words.
        Assert.All(glossary.QuerySelectorAll("dd").SelectMany(dd => dd.TextContent.Split(". ")), s
            => Assert.True(s.Split(' ').Length <= 40, s));
    }

    [Fact]
    public void Every_heat_map_cell_can_take_keyboard_focus_and_carries_its_numbers_as_a_label()
    {
        var document = Parse(ReportExamples.Fixed());

        var cells = document.QuerySelectorAll("table.heatmap td");

        Assert.NotEmpty(cells);
        Assert.All(cells, td =>
        {
            Assert.Equal("0", td.GetAttribute("tabindex"));
            Assert.False(string.IsNullOrWhiteSpace(td.GetAttribute("aria-label")));
        });
        Assert.DoesNotContain("Hover or focus a cell", document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_builder_carries_each_firing_group_s_and_its_reference_s_monthly_counts_from_the_store()
    {
        var (model, _, store) = RealisticCounts.Report(ReferenceData.Embedded, "QOP");

        var withMonths = model.Alerts.Where(a => a.Monthly is not null).ToList();

        Assert.NotEmpty(withMonths);
        Assert.All(model.Alerts.Where(a => a.Rule == SignalRule.Gradient), a => Assert.Null(a.Monthly));
        foreach (var alert in withMonths)
        {
            var series = store.Find(new SeriesKey(alert.Level, alert.OrganisationCode, alert.IndicatorCode, alert.Breakdown))!;
            var reference = ComparisonGroups.ReferenceGroup(alert.Breakdown);
            Assert.All(alert.Monthly!, m =>
            {
                Assert.Equal((m.Numerator, m.Denominator), series.Month(m.Period, alert.GroupCode));
                Assert.Equal((m.ReferenceNumerator, m.ReferenceDenominator), series.Month(m.Period, reference));
            });
            // In time order, up to the report's month (a trust that has not submitted it ends a month earlier).
            Assert.Equal(alert.Monthly!.Select(m => m.Period).Order(), alert.Monthly!.Select(m => m.Period));
            Assert.True(alert.Monthly![^1].Period <= RealisticCounts.Latest);
            Assert.True(alert.Monthly.Count <= ReportMonthly.MaximumMonths);
        }
    }

    [Fact]
    public void When_the_latest_months_are_not_shown_the_icons_name_the_month_they_read()
    {
        var model = ReportExamples.Fixed();
        var alert = model.Alerts[0];
        // The group's last two months hold 3 events each (suppressed): the icons read August 2026 and say so.
        var months = alert.Monthly!.Select((m, i) => i >= alert.Monthly!.Count - 2 ? m with { Numerator = 3 } : m).ToList();
        model = model with { Alerts = [alert with { Monthly = months }, .. model.Alerts.Skip(1)] };

        var figure = Article(Parse(model), "Black vs White: Antenatal booking").QuerySelector("figure[data-role=group]")!;

        Assert.Equal("The icons read 2026-08, the latest month shown.", figure.QuerySelector(".mdc-latest")!.TextContent);
        Assert.Null(Article(Parse(ReportExamples.Fixed()), "Black vs White: Antenatal booking")
            .QuerySelector("figure[data-role=group] .mdc-latest"));
    }

    [Fact]
    public void A_neutral_indicator_gets_no_assurance_icon_only_a_sentence_saying_why()
    {
        var model = ReportExamples.Fixed();
        var neutral = model.Indicators.Select(i => i.Code == "booking_by_10_weeks" ? i with { Polarity = Polarity.Neutral }
            : i).ToList();
        model = model with { Indicators = neutral };

        var figure = Article(Parse(model), "Black vs White: Antenatal booking").QuerySelector("figure[data-role=group]")!;

        Assert.Empty(figure.QuerySelectorAll("svg.assurance"));
        Assert.StartsWith("No assurance icon: a neutral indicator has no better or worse side of the White rate",
            figure.QuerySelector(".mdc-none")!.TextContent,
            StringComparison.Ordinal);
        Assert.Contains("neutral", figure.QuerySelector("svg.variation")!.ClassList);
    }

    [Fact]
    public void Every_count_in_a_chart_s_tooltips_is_published_zero_or_a_multiple_of_5_above_7()
    {
        var document = Parse(ReportExamples.Fixed());

        var titles = document.QuerySelectorAll("svg.pchart title, svg.cumulative title, svg.funnel title").Select(t => t.TextContent)
            .ToList();
        var counts = titles.SelectMany(t => System.Text.RegularExpressions.Regex.Matches(t, @"(\d[\d,]*) (?:of|events so far)")
            .Select(m => long.Parse(m.Groups[1].Value.Replace(",", string.Empty, StringComparison.Ordinal),
                System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        Assert.NotEmpty(counts);
        Assert.All(counts, c => Assert.True(c == 0 || (c > 7 && c % 5 == 0), $"{c} is not a published count"));
        Assert.DoesNotContain(titles, t => t.Contains(Core.Publishing.Disclosure.Suppressed, StringComparison.Ordinal));
    }

    private static IDocument Parse(EquityReportModel model) => new HtmlParser().ParseDocument(EquityReportHtml.Render(model));

    private static IElement Article(IDocument document, string headingStart) =>
        document.QuerySelectorAll("article.signal, details.signal").Single(a =>
            a.QuerySelector("h3")!.TextContent.Contains(headingStart, StringComparison.Ordinal));

    private static IElement FunnelFor(IDocument document, string heading)
    {
        var h3 = document.QuerySelector("#funnel-h")!.ParentElement!.QuerySelectorAll("h3").Single(h => h.TextContent == heading);
        var container = document.CreateElement("div");
        for (var e = h3.NextElementSibling; e is not null && e.LocalName != "h3"; e = e.NextElementSibling)
        {
            container.AppendChild(e.Clone());
        }

        return container;
    }

    /// <summary>The fixed model with Black booking rows added for R0A (Bolton's 5 of 12 is already there).</summary>
    private static EquityReportModel WithBlackBookingAtTheTrusts(EquityReportModel model, (long N, long D) r0a)
    {
        var lmnsRow = model.Comparisons.Single(c => c.Level == Level.Lmns && c.IndicatorCode == "booking_by_10_weeks"
            && c.GroupCode == "Black");
        var trustRow = lmnsRow with { Level = Level.Organisation, OrganisationCode = "R0A", Numerator = r0a.N, Denominator = r0a.D };
        return model with { Comparisons = [.. model.Comparisons, trustRow] };
    }
}
