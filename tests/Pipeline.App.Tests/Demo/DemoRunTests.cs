using Dapper;
using Microsoft.Data.Sqlite;
using Pipeline.App.Configuration;
using Pipeline.App.Demo;
using Pipeline.App.Processing;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Reference;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.App.Tests.Demo;

public sealed class DemoRunTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-demo-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_region_goes_through_the_real_processor_with_one_rejected_upload_corrected_by_a_resubmission()
    {
        var (summary, services) = await RunAsync(new DemoOptions { RegionCode = "Y58", Months = 4, End = new Period(2026, 10) });

        var trusts = summary.Files.Select(f => f.Result.OrganisationCode).Distinct().Count();
        Assert.True(trusts >= 10, $"expected the South West's trusts, got {trusts}");
        Assert.Equal(1, summary.Rejected);
        var rejected = summary.Files.Single(f => f.Result.Outcome == ProcessingOutcome.Rejected);
        Assert.Equal(new Period(2026, 10).ToString(), rejected.Result.ReportingPeriod);
        Assert.True(File.Exists(Path.Combine(_root, rejected.Result.ReceiptHtmlKey!)));
        var corrected = await services.Store.FindCurrentAsync(rejected.Result.OrganisationCode, new Period(2026, 10), Ct);
        Assert.NotNull(corrected);

        var status = await services.Store.GetSubmissionStatusAsync(new Period(2026, 10), Ct);
        var region = status.Where(s => ReferenceData.Embedded.RegionOf(s.OrganisationCode, new Period(2026, 10)) == "Y58").ToList();
        Assert.All(region, s => Assert.NotEqual(Pipeline.Adapters.Store.DeliveryStatus.Missing, s.Status));
        Assert.Contains(region, s => s.Status == Pipeline.Adapters.Store.DeliveryStatus.OnTime);
    }

    [Fact]
    public async Task Each_recipient_gets_at_most_one_digest_a_month_every_month_is_released_and_nothing_else_is_sent_twice()
    {
        var end = new Period(2026, 10);
        var (summary, services) = await RunAsync(new DemoOptions { RegionCode = "Y58", Months = 6, End = end });

        var alerts = (await services.Outbox.ListAsync(Ct)).Where(n => n.Kind == NotificationKind.Alerts).ToList();
        var digests = alerts.Where(n => n.Subject.StartsWith(AlertEmailRenderer.DigestSubjectStart, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(digests);
        Assert.All(
            digests.SelectMany(n => n.Recipients.Select(r => (r.Email, Month: Period.FromDateTimeOffset(n.CreatedAt)))).GroupBy(x => x),
            g => Assert.Single(g));
        // What went out on its own is a data problem or a missing or rejected file, each alert at most once.
        var alone = alerts.Except(digests).SelectMany(n => AlertIds(n.Text)).ToList();
        Assert.All(alone, id => Assert.True(
            id.EndsWith("|data_quality", StringComparison.Ordinal) || id.EndsWith("|late_submission", StringComparison.Ordinal), id));
        Assert.Equal(alone.Count, alone.Distinct(StringComparer.Ordinal).Count());
        // Every LMNS of the region with trusts has had its last month released (the daily check after the deadline at the latest).
        var released = await services.Store.ReadAsync((session, ct) => session.Digests.LatestReleasedAsync(ct), Ct);
        var lmnss = ReferenceData.Embedded.LmnsList.Where(l => l.RegionCode == "Y58" && l.IsActiveIn(end))
            .Where(l => ReferenceData.Embedded.TrustsInLmns(l.Code, end).Any()).Select(l => l.Code).ToList();
        Assert.NotEmpty(lmnss);
        Assert.All(lmnss, code => Assert.Equal(end, released[new AlertRoute(RoutingScope.Lmns, code)]));
        Assert.Equal(summary.End, released[new AlertRoute(RoutingScope.Region, "Y58")]);
        // Files arrive in the order trusts send them, so alert events are recorded in time order.
        await using var connection = await services.SqlStore.OpenAsync(Ct);
        var recorded = (await connection.QueryAsync<string>("select recorded_at from alert_event order by id")).ToList();
        Assert.NotEmpty(recorded);
        Assert.Equal(recorded.Order(StringComparer.Ordinal), recorded);
    }

    private static IEnumerable<string> AlertIds(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Alert id", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0]);

    [Fact]
    public async Task Same_seed_gives_the_same_files()
    {
        var options = new DemoOptions { RegionCode = "Y58", Months = 3, End = new Period(2026, 10), Seed = 7 };
        var scenario = DemoScenario.Create(ReferenceData.Embedded, options, new Period(2026, 10));
        var again = DemoScenario.Create(ReferenceData.Embedded, options, new Period(2026, 10));

        Assert.Equal(scenario.Divergences, again.Divergences);
        Assert.Contains(scenario.Divergences, d => d.Level == Level.Lmns && d.IndicatorCode == "booking_by_10_weeks");
        Assert.Contains(scenario.Divergences, d => d.Level == Level.Organisation && d.IndicatorCode == "stillbirth");
        await Task.CompletedTask;
    }

    [Fact]
    public void Unknown_region_is_refused_with_the_list_of_regions()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            DemoScenario.Create(ReferenceData.Embedded, new DemoOptions { RegionCode = "Y99" }, new Period(2026, 10)));

        Assert.Contains("Y56 (London)", error.Message, StringComparison.Ordinal);
    }

    private async Task<(DemoSummary Summary, PipelineServices Services)> RunAsync(DemoOptions options)
    {
        var clock = new DemoClock(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = _root }, clock);
        await services.Store.MigrateAsync(Ct);
        var summary = await new DemoRun(services.Reference, services.Objects, services.Processor, services.LateCheck, clock)
            .RunAsync(options, null, Ct);
        return (summary, services);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
