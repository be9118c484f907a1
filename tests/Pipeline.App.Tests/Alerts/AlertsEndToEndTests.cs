using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Store;
using Pipeline.App.Notifications;
using Pipeline.App.Processing;
using Pipeline.App.Tests.Processing;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Reference;
using Pipeline.Core.Synthetic;
using Pipeline.Core.Tests.Alerts.Rendering;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Alerts;

/// <summary>
/// The whole alert path with real parts: synthetic submissions with a planted divergence dropped one month at a time into
/// the real processor (SQLite file, lake), detection and then the alert step inside each load's transaction, the SQL
/// outbox drained by the dispatcher through MailKit into a real MailDev, read back over its REST API.
/// </summary>
public sealed class AlertsEndToEndTests : IAsyncLifetime
{
    private const string Trust = "R0A";
    private const string Indicator = "smoking_at_booking";
    private const string Lead = "lmns.lead@nhs.example";
    private const string Inbox = "equity.inbox@nhs.example";
    private static readonly Period Start = new(2025, 1);
    private static readonly string Lmns = ReferenceData.Embedded.LmnsOf(Trust, Start)!;
    private static readonly string Fingerprint = $"organisation|{Trust}|{Indicator}|ethnic_group|Black|ratio";

    private MailDevServer? _mailDev;
    private PipelineHarness? _harness;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MailDevServer MailDev => _mailDev!;

    private PipelineHarness Harness => _harness!;

    public async ValueTask InitializeAsync()
    {
        if (MailDevServer.Unavailable is null)
        {
            _mailDev = await MailDevServer.StartNewAsync(Ct);
        }

        _harness = await PipelineHarness.CreateAsync();
        await File.WriteAllTextAsync(
            Path.Combine(Harness.Root, "contacts.csv"),
            $"scope,code,name,email\nlmns,{Lmns},LMNS lead,{Lead}\ndefault,*,Regional inbox,{Inbox}\n",
            Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_mailDev is not null)
        {
            await _mailDev.DisposeAsync();
        }

        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_planted_divergence_sends_one_email_to_the_lmns_lead_with_the_stored_numbers_and_reprocessing_sends_nothing()
    {
        SkipWithoutMailDev();

        await IngestAsync(Divergent(), dispatchEach: true);

        var mail = Assert.Single(await EmailsToAsync(Lead));
        var state = Assert.Single(await AlertsAsync(), a => a.Fingerprint.ToString() == Fingerprint);
        Assert.Equal(AlertStatus.Firing, state.Status);
        var row = await ComparisonAsync(state.FiringSince);
        var text = mail.GetProperty("text").GetString()!;
        Assert.Contains($"({Lmns})", mail.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains($"Alert id: {Fingerprint}", text, StringComparison.Ordinal);
        // The published ratio: Katz on the stored counts rounded to 5 (docs/disclosure.md), never on the raw counts.
        var published = Core.Statistics.RiskRatio.Compute(
            Core.Publishing.Disclosure.RoundCount(row.Numerator), Core.Publishing.Disclosure.RoundCount(row.Denominator),
            Core.Publishing.Disclosure.RoundCount(row.ReferenceNumerator), Core.Publishing.Disclosure.RoundCount(row.ReferenceDenominator))!;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Ratio to reference: {published.Ratio:0.00}; 95% CI {published.Ci95.Lower:0.00} to {published.Ci95.Upper:0.00}"), text, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"counts: {Disclosure(row.Numerator)} of {Disclosure(row.Denominator)}"), text, StringComparison.Ordinal);
        var events = await EventCountAsync();

        // The same data again, as new files (different bytes, so they are processed and replace the current ones).
        await IngestAsync(Divergent(), dispatchEach: true, variant: "again");

        Assert.Single(await EmailsToAsync(Lead));
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public async Task Watches_are_recorded_but_only_alerts_reach_an_inbox_by_default()
    {
        SkipWithoutMailDev();

        // Beside the strong Black divergence, a milder one in the small Mixed group (ratio 1.35): significant at 95% but not at 99.8%.
        await IngestAsync(
            Generate([
                new PlantedDivergence(Level.Organisation, Trust, Indicator, ComparisonBreakdown.EthnicGroup, "Black", 3.0, Start),
                new PlantedDivergence(Level.Organisation, Trust, Indicator, ComparisonBreakdown.EthnicGroup, "Mixed", 1.35, Start),
            ]),
            dispatchEach: true);

        var states = await AlertsAsync();
        var untoldWatches = states
            .Where(s => s.Fingerprint.Rule.IsEquityRule() && s is { Status: AlertStatus.Firing, Severity: AlertSeverity.Watch, NotifiedStatus: null })
            .Select(s => s.Fingerprint.ToString())
            .ToList();
        Assert.True(untoldWatches.Count > 0, string.Join("\n", states.Select(s => $"{s.Fingerprint} {s.Status} {s.Severity} {s.NotifiedStatus}")));
        Assert.Contains(states, s => s.Fingerprint.ToString() == Fingerprint && s.Severity == AlertSeverity.Alert);
        var texts = (await MailDev.EmailsAsync(Ct)).Select(m => m.GetProperty("text").GetString()!).ToList();
        Assert.NotEmpty(texts);
        Assert.All(untoldWatches, watch => Assert.DoesNotContain(texts, text => text.Contains($"Alert id: {watch}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Corrected_data_that_no_longer_diverges_sends_one_resolution_in_the_next_digest()
    {
        SkipWithoutMailDev();
        await IngestAsync(Divergent(), dispatchEach: true);
        Assert.Single(await EmailsToAsync(Lead));

        await IngestAsync(Clean(), dispatchEach: true, variant: "corrected");
        // Good news waits for the next digest: the month after the last, released by the daily check after its deadline.
        Assert.Single(await EmailsToAsync(Lead));
        await Harness.Services.LateCheck.CheckAsync(Clean()[^1].ReportingPeriod.AddMonths(1), Ct);
        await Dispatcher().DispatchPendingAsync(Ct);

        var mails = await EmailsToAsync(Lead);
        Assert.Equal(2, mails.Count);
        var notice = mails.Single(m => m.GetProperty("text").GetString()!.Contains("Resolved", StringComparison.Ordinal));
        Assert.Contains(Fingerprint, notice.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(AlertStatus.Resolved, (await AlertsAsync()).Single(a => a.Fingerprint.ToString() == Fingerprint).Status);
    }

    [Fact]
    public async Task A_silence_holds_the_email_back_while_the_alert_keeps_its_state()
    {
        SkipWithoutMailDev();
        await WithAlertsAsync(a => a.AddSilenceAsync(
            new Silence("s1", SilenceMatcher.TryParse($"*|*|{Indicator}")!, "known coding issue", "analyst", Harness.Time.GetUtcNow(), Harness.Time.GetUtcNow().AddDays(30)),
            Harness.Time.GetUtcNow(),
            Ct));

        await IngestAsync(Divergent(), dispatchEach: true);

        Assert.Empty(await EmailsToAsync(Lead));
        var state = (await AlertsAsync()).Single(a => a.Fingerprint.ToString() == Fingerprint);
        Assert.Equal((AlertStatus.Firing, (AlertStatus?)null), (state.Status, state.NotifiedStatus));
    }

    [Fact]
    public async Task With_the_mail_server_down_the_alert_email_stays_pending_and_goes_out_once_it_is_back()
    {
        SkipWithoutMailDev();
        await MailDev.StopAsync();

        await IngestAsync(Divergent(), dispatchEach: true);

        var pending = (await Harness.Services.Outbox.ListAsync(Ct)).Where(n => n.Recipients.Any(r => r.Email == Lead)).ToList();
        var row = Assert.Single(pending);
        Assert.Equal(NotificationStatus.Pending, row.Status);
        Assert.Contains("SocketException", row.LastError, StringComparison.Ordinal);

        await MailDev.StartAsync(Ct);
        Harness.Time.Advance(TimeSpan.FromHours(3));
        await Dispatcher().DispatchPendingAsync(Ct);

        Assert.Single(await EmailsToAsync(Lead));
        Assert.Equal(NotificationStatus.Sent, (await Harness.Services.Outbox.FindAsync(row.Id, Ct))!.Status);
    }

    [Fact]
    public async Task No_count_between_1_and_7_appears_in_any_email_the_run_sends()
    {
        SkipWithoutMailDev();
        await IngestAsync(Divergent(), dispatchEach: true);

        var mails = await MailDev.EmailsAsync(Ct);
        Assert.NotEmpty(mails);
        foreach (var part in mails.SelectMany(m => new[] { m.GetProperty("html").GetString()!, m.GetProperty("text").GetString()! }))
        {
            Assert.NotEmpty(DisclosureScan.Counts(part));
            Assert.Empty(DisclosureScan.Violations(part));
        }
    }

    [Fact]
    public async Task The_submitter_gets_one_receipt_for_an_accepted_file_and_one_with_the_errors_for_a_rejected_one()
    {
        SkipWithoutMailDev();
        var submission = Divergent()[0] with { SubmittedBy = "analyst@trust.example" };
        await Harness.DropAsync(submission);
        await Harness.DropAsync(submission); // redelivery: settled, no second receipt
        var broken = Encoding.UTF8.GetBytes(SampleSubmissions.ToJsonText(submission).Replace("\"numerator\"", "\"numerater\"", StringComparison.Ordinal));
        var rejected = await Harness.DropAsync(Trust, submission.ReportingPeriod, "broken.json", broken);
        await Dispatcher().DispatchPendingAsync(Ct);

        var receipts = await EmailsToAsync("analyst@trust.example");
        Assert.Equal(2, receipts.Count);
        var accepted = Assert.Single(receipts, m => m.GetProperty("subject")
            .GetString()!.StartsWith($"Submission accepted: {Trust} {submission.ReportingPeriod}", StringComparison.Ordinal))
            .GetProperty("text").GetString()!;
        Assert.Contains($"Totals: {submission.Measures.Count:N0} measure rows", accepted, StringComparison.Ordinal);
        Assert.Contains("Replaces: The first accepted file for this month.", accepted, StringComparison.Ordinal);
        Assert.Matches("Received: (on time|late) \\(received ", accepted);
        Assert.Contains("Codes explained at: https://", accepted, StringComparison.Ordinal);
        var refusal = Assert.Single(receipts, m => m.GetProperty("subject").GetString()!.StartsWith("Submission rejected", StringComparison.Ordinal));
        Assert.Contains(rejected.SubmissionId, refusal.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_month_tells_the_lead_its_equity_alerts_are_withheld_and_the_next_digest_says_the_corrected_file_resolved_it()
    {
        SkipWithoutMailDev();
        var months = Divergent();
        await IngestAsync(months.Take(months.Count - 1).ToList(), dispatchEach: true);
        var last = months[^1];
        var before = (await EmailsToAsync(Lead)).Count;
        var broken = Encoding.UTF8.GetBytes(SampleSubmissions.ToJsonText(last).Replace("\"numerator\"", "\"numerater\"", StringComparison.Ordinal));
        var fingerprint = AlertInputs.RejectedSubmissionFingerprint(Trust).ToString();

        Assert.Equal(ProcessingOutcome.Rejected, (await Harness.DropAsync(Trust, last.ReportingPeriod, "broken.json", broken)).Outcome);
        await Dispatcher().DispatchPendingAsync(Ct);

        var rejection = Assert.Single((await EmailsToAsync(Lead)).Skip(before)).GetProperty("text").GetString()!;
        Assert.Contains($"Alert id: {fingerprint}", rejection, StringComparison.Ordinal);
        Assert.Contains($"the {last.ReportingPeriod} submission was rejected (", rejection, StringComparison.Ordinal);
        Assert.Contains($"its equity alerts for {last.ReportingPeriod} are withheld", rejection, StringComparison.Ordinal);

        await IngestAsync([last], dispatchEach: true, variant: "corrected");
        Assert.Equal(before + 1, (await EmailsToAsync(Lead)).Count); // the resolution waits for the next digest
        await Harness.Services.LateCheck.CheckAsync(last.ReportingPeriod.AddMonths(1), Ct);
        await Dispatcher().DispatchPendingAsync(Ct);

        var resolution = Assert.Single((await EmailsToAsync(Lead)).Skip(before + 1)).GetProperty("text").GetString()!;
        Assert.Contains("Resolved", resolution, StringComparison.Ordinal);
        Assert.Contains($"Alert id: {fingerprint}", resolution, StringComparison.Ordinal);
    }

    private static List<Submission> Divergent() => Generate([new PlantedDivergence(Level.Organisation, Trust, Indicator, ComparisonBreakdown.EthnicGroup, "Black", 3.0, Start)]);

    private static List<Submission> Clean() => Generate([]);

    private static List<Submission> Generate(IReadOnlyList<PlantedDivergence> divergences) =>
    [
        .. new SubmissionGenerator(ReferenceData.Embedded).Generate(new SyntheticScenario
        {
            Seed = 7,
            Start = Start,
            Months = 10,
            TrustCodes = [Trust],
            IndicatorCodes = [Indicator],
            Divergences = divergences,
        }),
    ];

    private async Task IngestAsync(IReadOnlyList<Submission> submissions, bool dispatchEach, string variant = "")
    {
        foreach (var submission in submissions.OrderBy(s => s.ReportingPeriod))
        {
            var json = SampleSubmissions.ToJsonText(submission) + variant switch { "" => string.Empty, _ => "\n" + new string(' ', variant.Length) };
            var result = await Harness.DropAsync(Trust, submission.ReportingPeriod, $"equity{variant}.json", Encoding.UTF8.GetBytes(json));
            Assert.False(result.Outcome is ProcessingOutcome.Failed or ProcessingOutcome.Quarantined, result.Message);
            if (dispatchEach)
            {
                await Dispatcher().DispatchPendingAsync(Ct);
            }
        }
    }

    private NotificationDispatcher Dispatcher() => new(
        Harness.Services.Outbox,
        new SmtpMailTransport(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = MailDev.SmtpPort, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(5) }),
        Harness.Time,
        NullLogger<NotificationDispatcher>.Instance);

    private async Task<List<JsonElement>> EmailsToAsync(string address) =>
        [.. (await MailDev.EmailsAsync(Ct)).Where(m => m.GetProperty("to").EnumerateArray().Any(t => t.GetProperty("address").GetString() == address))];

    private Task<IReadOnlyList<AlertState>> AlertsAsync() => WithAlertsAsync(a => a.ListAsync(null, null, Ct));

    private Task<int> EventCountAsync() => WithAlertsAsync(a => a.CountEventsAsync(null, Ct));

    private Task<T> WithAlertsAsync<T>(Func<SqlAlertStore, Task<T>> action) =>
        Harness.Services.Store.WriteAsync((session, _) => action(session.Alerts), Ct);

    private async Task WithAlertsAsync(Func<SqlAlertStore, Task> action) => await WithAlertsAsync(async a =>
    {
        await action(a);
        return 0;
    });

    private async Task<GroupComparison> ComparisonAsync(Period period)
    {
        var result = await Harness.Services.Store.ReadAsync(
            (session, ct) => session.DetectionResults.ReadAsync([new WindowKey(Level.Organisation, Trust, period)], ct), Ct);
        return result.Comparisons.Single(c => c.IndicatorCode == Indicator && c.Breakdown == ComparisonBreakdown.EthnicGroup && c.GroupCode == "Black");
    }

    private static string Disclosure(long count) => Core.Publishing.Disclosure.FormatCount(count);

    private void SkipWithoutMailDev()
    {
        if (MailDevServer.Unavailable is { } why)
        {
            Assert.Skip(why);
        }
    }
}
