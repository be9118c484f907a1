using System.Globalization;
using System.Text;
using Dapper;
using Pipeline.Adapters.Store;
using Pipeline.App.Detection;
using Pipeline.App.Processing;
using Pipeline.App.Tests.Processing;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Synthetic;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Alerts;

/// <summary>
/// <c>pipeline recompute</c> re-runs the alert state machine (real processor, SQLite files): a backfill ends in the alert
/// states month-by-month loading leaves, a recompute of unchanged data writes nothing, and a run queues one email per
/// recipient group. Two trusts of one LMNS, each with a planted divergence, and one rejected trust-month without accepted data.
/// </summary>
public sealed class AlertsRecomputeTests
{
    private const string Indicator = "smoking_at_booking";
    private const string Lead = "lmns.lead@nhs.example";
    private const string Inbox = "equity.inbox@nhs.example";
    private static readonly Period Start = new(2025, 1);
    private static readonly string TrustA = "R0A";
    private static readonly string Lmns = ReferenceData.Embedded.LmnsOf(TrustA, Start)!;
    private static readonly string TrustB = ReferenceData.Embedded.TrustsInLmns(Lmns, Start).Where(c => c != TrustA).Order(StringComparer.Ordinal).First();
    private static readonly Period Rejected = Start.AddMonths(6);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backfill_with_recompute_leaves_the_alert_states_that_month_by_month_loading_leaves()
    {
        await using var monthly = await CreateAsync();
        await using var backfill = await CreateAsync(deferDetection: true);
        await IngestAsync(monthly);
        await IngestAsync(backfill);
        Assert.Equal(0, await ScalarAsync(backfill, "select count(*) from alert"));

        var summary = await RecomputeAsync(backfill, null);

        // What the recipients were told differs by design: month by month, the harness's clock is past every deadline, so the
        // first file of each month releases that month's digest and what the second trust's file changes waits for the next.
        var expected = await AlertRowsAsync(monthly, withTold: false);
        Assert.Contains(expected, r => r.StartsWith($"organisation|{TrustA}|{Indicator}|ethnic_group|Black|ratio firing", StringComparison.Ordinal));
        Assert.Contains(expected, r => r.StartsWith($"organisation|{TrustB}|all|total|submission|data_quality", StringComparison.Ordinal));
        Assert.Equal(expected, await AlertRowsAsync(backfill, withTold: false));
        // The same events (fingerprint, period, kind), recorded in another order: the backfill goes group by group. In general
        // month by month can record more (a state an LMNS window showed with one trust's month in before the other's
        // arrived); here every window's state at its own month is its final one, so the event lists are the same.
        Assert.Equal((await EventsAsync(monthly)).Order(StringComparer.Ordinal), (await EventsAsync(backfill)).Order(StringComparer.Ordinal));
        Assert.Equal(await ScalarAsync(backfill, "select count(*) from alert_event"), summary.AlertEvents);
    }

    [Fact]
    public async Task A_backfill_recompute_queues_one_email_per_recipient_group_naming_both_trusts()
    {
        await using var backfill = await CreateAsync(deferDetection: true);
        await IngestAsync(backfill);

        var summary = await RecomputeAsync(backfill, null);

        var emails = await AlertEmailsAsync(backfill);
        Assert.Equal(summary.AlertNotifications, emails.Count);
        Assert.Equal(emails.Count, emails.Select(e => e.Recipients).Distinct().Count());
        var lead = Assert.Single(emails, e => e.Recipients.Contains(Lead, StringComparison.Ordinal));
        Assert.Contains($"organisation|{TrustA}|{Indicator}|ethnic_group|Black|ratio", lead.Text, StringComparison.Ordinal);
        Assert.Contains($"organisation|{TrustB}|{Indicator}|ethnic_group|Black|ratio", lead.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recompute_of_unchanged_data_writes_no_alert_event_and_no_notification()
    {
        await using var monthly = await CreateAsync();
        await IngestAsync(monthly);
        var events = await ScalarAsync(monthly, "select count(*) from alert_event");
        var notifications = await ScalarAsync(monthly, "select count(*) from notification");
        var alerts = await AlertRowsAsync(monthly, fromFirstHeld: true);
        Assert.NotEqual(0, events);

        var full = await RecomputeAsync(monthly, null);
        var afterFull = await AlertRowsAsync(monthly);
        var partial = await RecomputeAsync(monthly, Start.AddMonths(5));

        Assert.Equal((0, 0), (full.AlertEvents, full.AlertNotifications));
        Assert.Equal((0, 0), (partial.AlertEvents, partial.AlertNotifications));
        Assert.Equal(events, await ScalarAsync(monthly, "select count(*) from alert_event"));
        Assert.Equal(notifications, await ScalarAsync(monthly, "select count(*) from notification"));
        // A full recompute evaluates every month for every alert, so an alert first created by a later month now also has
        // "evaluated, did not hold" observations for the months before it first held (they do not change its lifecycle);
        // from its first held month on, and in everything derived, nothing changed. A second recompute changes nothing at all.
        Assert.Equal(alerts, await AlertRowsAsync(monthly, fromFirstHeld: true));
        Assert.Equal(afterFull, await AlertRowsAsync(monthly));
    }

    [Fact]
    public async Task A_second_recompute_after_a_backfill_writes_nothing()
    {
        await using var backfill = await CreateAsync(deferDetection: true);
        await IngestAsync(backfill);
        await RecomputeAsync(backfill, null);
        var events = await ScalarAsync(backfill, "select count(*) from alert_event");
        var notifications = await ScalarAsync(backfill, "select count(*) from notification");

        var again = await RecomputeAsync(backfill, null);

        Assert.Equal((0, 0), (again.AlertEvents, again.AlertNotifications));
        Assert.Equal((events, notifications), (await ScalarAsync(backfill, "select count(*) from alert_event"), await ScalarAsync(backfill, "select count(*) from notification")));
    }

    [Fact]
    public void Recompute_groups_each_lmns_with_its_trusts_and_each_region_alone()
    {
        var region = ReferenceData.Embedded.RegionOf(TrustA, Start)!;
        var groups = DetectionRecompute.RouteGroups(
            ReferenceData.Embedded,
            [(Level.Organisation, TrustB), (Level.Region, region), (Level.Lmns, Lmns), (Level.Organisation, TrustA)],
            Start.AddMonths(9));

        Assert.Equal(
            [($"lmns {Lmns}", $"organisation {TrustA}, organisation {TrustB}, lmns {Lmns}"), ($"region {region}", $"region {region}")],
            groups.Select(g => (g.Route, string.Join(", ", g.Members.Select(m => $"{m.Level.ToWire()} {m.OrganisationCode}")))).ToList());
    }

    internal static async Task<PipelineHarness> CreateAsync(bool deferDetection = false)
    {
        var harness = await PipelineHarness.CreateAsync(deferDetection: deferDetection);
        await File.WriteAllTextAsync(
            Path.Combine(harness.Root, "contacts.csv"), $"scope,code,name,email\nlmns,{Lmns},LMNS lead,{Lead}\ndefault,*,Regional inbox,{Inbox}\n", Ct);
        return harness;
    }

    /// <summary>Ten months of both trusts, month by month, with trust B's month 7 rejected (and never corrected).</summary>
    private static async Task IngestAsync(PipelineHarness harness)
    {
        var submissions = new SubmissionGenerator(ReferenceData.Embedded).Generate(new SyntheticScenario
        {
            Seed = 7,
            Start = Start,
            Months = 10,
            TrustCodes = [TrustA, TrustB],
            IndicatorCodes = [Indicator],
            Divergences =
            [
                new PlantedDivergence(Level.Organisation, TrustA, Indicator, ComparisonBreakdown.EthnicGroup, "Black", 3.0, Start),
                new PlantedDivergence(Level.Organisation, TrustB, Indicator, ComparisonBreakdown.EthnicGroup, "Black", 3.0, Start),
            ],
        });
        foreach (var submission in submissions.OrderBy(s => s.ReportingPeriod).ThenBy(s => s.OrganisationCode, StringComparer.Ordinal))
        {
            var result = submission.OrganisationCode == TrustB && submission.ReportingPeriod == Rejected
                ? await harness.DropAsync(TrustB, Rejected, "broken.json", Broken(submission))
                : await harness.DropAsync(submission);
            Assert.Equal(
                submission.OrganisationCode == TrustB && submission.ReportingPeriod == Rejected ? ProcessingOutcome.Rejected : ProcessingOutcome.Accepted,
                result.Outcome);
        }
    }

    internal static byte[] Broken(Submission submission) =>
        Encoding.UTF8.GetBytes(SampleSubmissions.ToJsonText(submission).Replace("\"numerator\"", "\"numerater\"", StringComparison.Ordinal));

    internal static Task<RecomputeSummary> RecomputeAsync(PipelineHarness harness, Period? from) =>
        new DetectionRecompute(
            harness.Store,
            new DetectionWindows(harness.Services.Reference, new DivergenceEngine(harness.Services.Reference), harness.Time),
            harness.Time,
            harness.Services.Alerts).RunAsync(from, null, Ct);

    /// <summary>Every alert as it stands: fingerprint, state, severity, dates, route, what the recipients were last told, evidence and observations.</summary>
    /// <param name="fromFirstHeld">Leave out the "did not hold" observations before the alert's first held one.</param>
    /// <param name="withTold">Include what the recipients were last told.</param>
    internal static async Task<List<string>> AlertRowsAsync(PipelineHarness harness, bool fromFirstHeld = false, bool withTold = true)
    {
        var states = await harness.Services.Store.ReadAsync((session, ct) => session.Alerts.ListAsync(null, null, ct), Ct);
        return [.. states
            .Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{s.Fingerprint} {s.Status.ToWire()} {s.Severity.ToWire()} since {s.FiringSince} held {s.LastHeld} resolved {s.ResolvedAt} evaluated {s.LastEvaluated} " +
                $"route {s.Route} {(withTold ? $"told {s.NotifiedStatus} {s.NotifiedSeverity}" : "")} evidence {s.Evidence.WindowEnd} {s.Evidence.Ratio} {s.Evidence.RuleText} " +
                $"observations {string.Join(",", s.Observations.SkipWhile(o => fromFirstHeld && !o.Held).Select(o => $"{o.Period}:{o.Severity}"))}"))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Every <c>alert_event</c>: fingerprint, period, kind, in the order recorded.</summary>
    internal static async Task<List<string>> EventsAsync(PipelineHarness harness)
    {
        await using var connection = await harness.Services.SqlStore.OpenAsync(Ct);
        var rows = await connection.QueryAsync<(string Fingerprint, string Period, string Kind)>("select fingerprint, period, kind from alert_event order by id");
        return [.. rows.Select(r => $"{r.Fingerprint} {r.Period} {r.Kind}")];
    }

    internal static async Task<List<(string Recipients, string Subject, string Text)>> AlertEmailsAsync(PipelineHarness harness)
    {
        await using var connection = await harness.Services.SqlStore.OpenAsync(Ct);
        return [.. await connection.QueryAsync<(string, string, string)>(
            "select recipients_json, subject, body_text from notification where kind = 'alerts' order by created_at, id")];
    }

    internal static async Task<long> ScalarAsync(PipelineHarness harness, string sql)
    {
        await using var connection = await harness.Services.SqlStore.OpenAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
