using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.App.Configuration;
using Pipeline.App.Demo;
using Pipeline.App.Reporting;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Reporting;

namespace Pipeline.App.Tests.Demo;

/// <summary>
/// Publishing reports on the demo's real SQLite store (issue #15 items 2 and 4): every alert email's link opens the report
/// the publisher writes for that email's route and month, the region report covers the region, its LMNSs and its trusts,
/// the firing-alert counts of docs/querying.md query 15, the report and the alert list agree, and a report is never dated
/// before the files it lists.
/// </summary>
public sealed partial class DemoQueriesTests
{
    [Fact]
    public async Task Every_alert_emails_full_report_link_is_an_absolute_url_that_opens_the_report_published_for_its_route_and_month()
    {
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, AfterTheDemo);
        var emails = (await services.Outbox.ListAsync(Ct)).Where(n => n.Kind == NotificationKind.Alerts).ToList();

        // What the notification pump does before sending: publish every report a queued email asked for.
        var published = await services.Provider.GetRequiredService<PendingReports>().PublishAsync(Ct);

        Assert.Empty(await services.Store.ReadAsync((session, ct) => session.ReportPublications.PendingAsync(ct), Ct));
        var links = emails.Select(n => FullReport().Match(n.Text)).Select(m => m.Groups[1].Value.Trim()).ToList();

        Assert.NotEmpty(emails);
        Assert.Equal(emails.Count, links.Count(l => l.Length > 0));
        Assert.Equal(links.Distinct(StringComparer.Ordinal).Count(), published);
        foreach (var link in links.Distinct(StringComparer.Ordinal))
        {
            // file:///…/reports/{scope}/{code}/{period}/equity-report.html: the data directory's reports folder, as a URL.
            var uri = new Uri(link, UriKind.Absolute);
            Assert.Equal(Uri.UriSchemeFile, uri.Scheme);
            var parts = uri.AbsolutePath.Split('/')[^4..];
            var route = new AlertRoute(parts[0] == "region" ? RoutingScope.Region : RoutingScope.Lmns, parts[1]);
            var period = Period.Parse(parts[2]);
            Assert.Equal(link, ReportAddress.Link(PipelineComposition.ReportBaseUrl(services.Options, services.Objects), route, period));

            Assert.Equal(Path.GetFullPath(Path.Combine(_root, ReportAddress.Key(route, period))), uri.LocalPath);
            Assert.True(File.Exists(uri.LocalPath), $"{link} was not published");
            var page = new HtmlParser().ParseDocument(await File.ReadAllTextAsync(uri.LocalPath, TestContext.Current.CancellationToken));
            Assert.Contains($"({route.Code}), {period}", page.Title, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_region_report_shows_the_region_roll_up_its_lmnss_and_the_submission_status_of_every_trust_in_the_region()
    {
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, AfterTheDemo);
        var reports = services.Provider.GetRequiredService<EquityReportService>();
        var route = new AlertRoute(RoutingScope.Region, "Y62");

        var key = await services.Provider.GetRequiredService<ReportPublisher>().PublishAsync(route, End, Ct);
        var model = await reports.BuildAsync(route, End, TestContext.Current.CancellationToken);

        Assert.Equal("reports/region/Y62/2026-10/equity-report.html", key);
        var lmnss = Texts("select distinct organisation_code from v_group_comparison where level = 'lmns' and region_code = 'Y62' "
            + "and period_end = '2026-10' order by organisation_code");
        Assert.True(lmnss.Count >= 3, "the North West demo has several LMNSs");
        Assert.Equal((Level.Region, "Y62"), (model.Organisations[0].Level, model.Organisations[0].Code));
        Assert.Equal(lmnss, model.Organisations.Skip(1).Select(o => o.Code).Order(StringComparer.Ordinal));
        Assert.All(model.Organisations.Skip(1), o => Assert.Equal(Level.Lmns, o.Level));
        Assert.Equal(
            Scalar("select count(*) from v_group_comparison where period_end = '2026-10' and region_code = 'Y62' "
                + "and level in ('region', 'lmns')"),
            model.Comparisons.Count);
        Assert.Contains(model.Gradients, g => g.Level == Level.Region && g.OrganisationCode == "Y62");
        Assert.Equal(
            Scalar("select count(*) from v_submission_status where reporting_period = '2026-10' and region_code = 'Y62'"),
            model.Submissions.Count);

        var page = new HtmlParser().ParseDocument(await File.ReadAllTextAsync(Path.Combine(_root, key), Ct));
        Assert.Equal($"Maternity equity report: North West region (Y62), {End}", page.Title);
        Assert.Equal(lmnss.Count, page.QuerySelectorAll("#heatmap-h ~ details, section[aria-labelledby=heatmap-h] details").Length);
        Assert.Equal(model.Submissions.Count, page.QuerySelectorAll("section[aria-labelledby=subs-h] tbody tr").Length);
    }

    [Fact]
    public async Task Query_15_the_reports_summary_and_the_alert_list_count_the_same_firing_alerts_for_every_lmns()
    {
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, AfterTheDemo);
        var reports = services.Provider.GetRequiredService<EquityReportService>();
        var counted = Run("firing_alerts_per_route")
            .ToDictionary(r => ((string)r["route_scope"]!, (string)r["route_code"]!), r => ((long)r["alerts"]!, (long)r["watches"]!));
        var lmnss = EquityReportBuilder.LmnsInRegion(services.Reference, "Y62", End).Select(l => l.Code).ToList();

        Assert.Contains(Run("firing_alerts_per_route"), r => (long)r["gradient_alerts"]! > 0);
        foreach (var lmns in lmnss)
        {
            var model = await reports.BuildAsync(lmns, End, TestContext.Current.CancellationToken);
            var fromQuery = counted.GetValueOrDefault(("lmns", lmns));
            // What `pipeline alerts --state firing --lmns CODE` counts in its summary line ("N equity: A alert, W watch").
            var listed = (await services.Store.ReadAsync((s, ct) => s.Alerts.ListAsync(AlertStatus.Firing, lmns, ct), Ct))
                .Where(a => Firing.IsEquityRule(a.Fingerprint.Rule)).ToList();
            var page = new HtmlParser().ParseDocument(Core.Text.Reports.EquityReportHtml.Render(model));
            var cards = page.QuerySelectorAll("#summary-h + ul.cards li .n").Select(n => n.TextContent).ToList();

            Assert.Equal(fromQuery.Item1, model.Alerts.Count(a => a.Severity == Signal.Alert));
            Assert.Equal(fromQuery.Item2, model.Alerts.Count(a => a.Severity == Signal.Watch));
            var alerts = listed.Count(a => a.Severity == AlertSeverity.Alert);
            var watches = listed.Count(a => a.Severity == AlertSeverity.Watch);
            Assert.Equal(fromQuery, (alerts, (long)watches));
            Assert.Equal([fromQuery.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture),
                fromQuery.Item2.ToString(System.Globalization.CultureInfo.InvariantCulture)], cards.Take(2));
        }
    }

    [Fact]
    public async Task A_report_built_by_a_clock_behind_the_store_is_dated_no_earlier_than_the_latest_file_it_lists()
    {
        // A clock a minute before the latest October file of QOP's trusts (as a report rebuilt from a restored store, or a
        // host whose clock lags, would read): October has ended by it, so the report lists its files.
        var latest = DateTimeOffset.Parse(
            Text("select max(last_received_at) from v_submission_status where reporting_period = '2026-10' and lmns_code = 'QOP'"),
            System.Globalization.CultureInfo.InvariantCulture);
        var early = new DemoClock(latest.AddMinutes(-1));
        Assert.True(early.GetUtcNow() > new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, early);
        EquityReportModel model;
        try
        {
            model = await services.Provider.GetRequiredService<EquityReportService>().BuildAsync("QOP", End, Ct);
        }
        finally
        {
            // Reading submission status wrote the early clock into the shared store; put the readers' clock back.
            await PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, AfterTheDemo).Store
                .GetSubmissionStatusAsync(End, TestContext.Current.CancellationToken);
        }

        var listed = model.Submissions.Where(s => s.ReceivedAt is not null).Select(s => s.ReceivedAt!.Value).ToList();
        Assert.NotEmpty(listed);
        Assert.True(model.DataCutOff >= latest, "the cut-off is the latest file of the month");
        Assert.All(listed, at => Assert.True(model.GeneratedAt >= at, $"generated {model.GeneratedAt:O} precedes a file received {at:O}"));
        Assert.Equal(model.DataCutOff, model.GeneratedAt);
        var meta = new HtmlParser().ParseDocument(Core.Text.Reports.EquityReportHtml.Render(model)).QuerySelector("p.meta")!.TextContent;
        var generated = $"Generated {model.GeneratedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        Assert.Contains($"{generated} · data: files received up to", meta, StringComparison.Ordinal);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("^Full report: (.+)$", RegexOptions.Multiline)]
    private static partial Regex FullReport();
}
