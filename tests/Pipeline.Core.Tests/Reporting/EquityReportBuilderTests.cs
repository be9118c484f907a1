using Pipeline.Core.Publishing;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics;
using Pipeline.Core.Statistics.Spc;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Core.Tests.Reporting;

public class EquityReportBuilderTests
{
    private static readonly ReferenceData Reference = ReferenceData.Embedded;
    private static readonly Lazy<(EquityReportModel Model, DetectionResult Detection, CountStore Store)> Realistic =
        new(() => RealisticCounts.Report(Reference, "QOP"));

    [Fact]
    public void The_report_covers_the_lmns_and_its_trusts_at_the_period_only()
    {
        var (model, detection, _) = Realistic.Value;
        var trusts = Reference.TrustsInLmns("QOP", RealisticCounts.Latest).ToHashSet(StringComparer.Ordinal);

        Assert.Equal((Level.Lmns, "QOP"), (model.Organisations[0].Level, model.Organisations[0].Code));
        Assert.Equal(trusts, model.Organisations.Skip(1).Select(o => o.Code).ToHashSet(StringComparer.Ordinal));
        Assert.Contains(detection.Comparisons, c => c.Level == Level.Region);
        Assert.All(model.Comparisons, c => Assert.True(c.Level == Level.Lmns ? c.OrganisationCode == "QOP" : trusts.Contains(c.OrganisationCode)));
        var expected = detection.Comparisons.Count(c => c.PeriodEnd == RealisticCounts.Latest && (c.Level == Level.Lmns ? c.OrganisationCode == "QOP" : c.Level == Level.Organisation && trusts.Contains(c.OrganisationCode)));
        Assert.Equal(expected, model.Comparisons.Count);
    }

    [Fact]
    public void Rows_for_other_periods_are_left_out()
    {
        var (_, _, store) = Realistic.Value;
        var engine = new DivergenceEngine(Reference);
        var earlier = engine.EvaluateAll(store, RealisticCounts.Latest.AddMonths(-1));
        var both = new DetectionResult([.. earlier.Comparisons, .. Realistic.Value.Detection.Comparisons], earlier.Gradients, earlier.DataQuality);

        var sources = ReportSources.FromDetection("QOP", RealisticCounts.Latest, DateTimeOffset.UnixEpoch, both, []);

        Assert.Equal(Realistic.Value.Model.Comparisons.Count, EquityReportBuilder.Build(sources, Reference).Comparisons.Count);
        Assert.Empty(sources.Gradients);
    }

    [Fact]
    public void The_planted_gaps_fire_and_alerts_come_before_watches()
    {
        var model = Realistic.Value.Model;

        Assert.Contains(model.Alerts, a => a.Level == Level.Lmns && a.IndicatorCode == "booking_by_10_weeks" && a.GroupCode == "Black" && a.Severity == Signal.Alert);
        Assert.Contains(model.Alerts, a => a.Level == Level.Organisation && a.OrganisationCode == "R0A" && a.IndicatorCode == "stillbirth" && a.GroupCode == "Black");
        var severities = model.Alerts.Select(a => a.Severity).ToList();
        Assert.Equal(severities.OrderByDescending(s => s), severities);
        Assert.Contains(model.DataQuality, d => d.Breakdown == ComparisonBreakdown.EthnicGroup && d.UnknownShare > 0.10);
    }

    [Fact]
    public void A_firing_alert_carries_its_monthly_log_ratio_series_with_limits_fixed_on_the_first_twelve_months()
    {
        var (model, _, store) = Realistic.Value;
        var alert = model.Alerts.First(a => a.Level == Level.Lmns && a.IndicatorCode == "booking_by_10_weeks" && a.GroupCode == "Black");
        var series = store.Find(new SeriesKey(Level.Lmns, "QOP", "booking_by_10_weeks", ComparisonBreakdown.EthnicGroup))!;
        var counts = series.Months.Select(m => (Month: m, Group: series.Month(m, "Black")!.Value, Reference: series.Month(m, "White")!.Value)).ToList();
        var raw = counts.Select(c => Math.Log(RiskRatio.Compute(c.Group.Numerator, c.Group.Denominator, c.Reference.Numerator, c.Reference.Denominator)!.Ratio)).ToList();
        // What is drawn is published: months resting on a count of 1–7 left out, the rest from counts rounded to 5.
        var drawn = counts
            .Where(c => new[] { c.Group.Numerator, c.Group.Denominator, c.Reference.Numerator, c.Reference.Denominator }.All(x => x is 0 or > 7))
            .Select(c => (c.Month, Value: Math.Log(RiskRatio.Compute(
                Disclosure.RoundCount(c.Group.Numerator), Disclosure.RoundCount(c.Group.Denominator),
                Disclosure.RoundCount(c.Reference.Numerator), Disclosure.RoundCount(c.Reference.Denominator))!.Ratio)))
            .ToList();

        var trend = alert.Trend!;
        Assert.Equal(TrendMeasure.LogRateRatio, trend.Measure);
        Assert.Equal(drawn.Select(d => d.Month), trend.Points.Select(p => p.Period));
        Assert.Equal(drawn.Select(d => d.Value), trend.Points.Select(p => p.Value));
        Assert.Equal(XmrLimits.Compute([.. raw.Take(12)]), trend.Limits);
    }

    [Fact]
    public void The_trend_marks_the_same_special_cause_the_engine_saw_at_the_period()
    {
        var (model, detection, _) = Realistic.Value;

        foreach (var alert in model.Alerts.Where(a => a.Trend is not null))
        {
            var engineRow = detection.Comparisons.Single(c => c.PeriodEnd == RealisticCounts.Latest && c.Level == alert.Level && c.OrganisationCode == alert.OrganisationCode &&
                c.IndicatorCode == alert.IndicatorCode && c.Breakdown == alert.Breakdown && c.GroupCode == alert.GroupCode);
            // The period's own point may be unpublished (a count of 1–7 that month); when it is drawn it carries the engine's rule.
            if (alert.Trend!.Points.LastOrDefault() is { } last && last.Period == RealisticCounts.Latest)
            {
                Assert.Equal(engineRow.Spc, last.SpecialCause);
            }
        }
    }

    [Fact]
    public void Firing_since_is_looked_up_by_the_alert_fingerprint()
    {
        var (model, detection, store) = Realistic.Value;
        var alert = model.Alerts[0];
        var sources = ReportSources.FromDetection("QOP", RealisticCounts.Latest, DateTimeOffset.UnixEpoch, detection, [], store) with
        {
            FiringSince = new Dictionary<string, Period> { [alert.Fingerprint] = new Period(2026, 3) },
        };

        var rebuilt = EquityReportBuilder.Build(sources, Reference);

        Assert.Equal(new Period(2026, 3), rebuilt.Alerts[0].Since);
        Assert.All(rebuilt.Alerts.Skip(1), a => Assert.Null(a.Since));
        Assert.Equal($"{alert.Level.ToWire()}|{alert.OrganisationCode}|{alert.IndicatorCode}|{alert.Breakdown.ToWire()}|{alert.GroupCode}|{alert.Rule.ToWire()}", alert.Fingerprint);
    }

    [Fact]
    public void Without_history_the_alerts_have_no_trend()
    {
        var (_, detection, _) = Realistic.Value;

        var model = EquityReportBuilder.Build(ReportSources.FromDetection("QOP", RealisticCounts.Latest, DateTimeOffset.UnixEpoch, detection, []), Reference);

        Assert.NotEmpty(model.Alerts);
        Assert.All(model.Alerts, a => Assert.Null(a.Trend));
    }

    [Fact]
    public void Submission_status_is_on_time_by_the_deadline_late_after_it_and_missing_without_an_accepted_file()
    {
        var deadline = new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero);
        var trusts = Reference.TrustsInLmns("QOP", new Period(2026, 10)).Order(StringComparer.Ordinal).ToList();
        var accepted = new Dictionary<string, DateTimeOffset> { [trusts[0]] = deadline, [trusts[1]] = deadline.AddSeconds(1) };

        var statuses = EquityReportBuilder.SubmissionStatuses(Reference, "QOP", new Period(2026, 10), accepted, deadline).ToDictionary(s => s.TrustCode);

        Assert.Equal(SubmissionState.OnTime, statuses[trusts[0]].State);
        Assert.Equal(SubmissionState.Late, statuses[trusts[1]].State);
        Assert.All(trusts.Skip(2), t => Assert.Equal(SubmissionState.Missing, statuses[t].State));
        Assert.Null(statuses[trusts[2]].ReceivedAt);
    }

    [Fact]
    public void The_realistic_report_renders_without_html_parse_errors()
    {
        var parser = new AngleSharp.Html.Parser.HtmlParser(new AngleSharp.Html.Parser.HtmlParserOptions { IsStrictMode = true });

        var document = parser.ParseDocument(EquityReportHtml.Render(Realistic.Value.Model));

        Assert.Equal(Realistic.Value.Model.Organisations.Count, document.QuerySelectorAll("table.heatmap").Length);
    }

    [Theory]
    [InlineData("MANCHESTER UNIVERSITY NHS FOUNDATION TRUST", "Manchester University NHS Foundation Trust")]
    [InlineData("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust")]
    [InlineData("Greater Manchester LMNS", "Greater Manchester LMNS")]
    public void Upper_case_reference_names_are_shown_in_title_case(string name, string shown)
    {
        Assert.Equal(shown, EquityReportBuilder.DisplayName(name));
    }
}
