using System.Text;
using Dapper;
using Pipeline.Adapters.Store;
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
/// A rejection runs the alert step in the transaction that records it (real processor, SQLite file): a trust-month without
/// accepted data holds the trust's <c>submission</c> data-quality alert and withholds its equity alerts for that month; a
/// corrected file withdraws it with one resolution line; a rejected resubmission of a month with accepted data, or the same
/// rejection processed again, changes nothing.
/// </summary>
public sealed class RejectedSubmissionAlertTests : IAsyncLifetime
{
    private const string Trust = "R0A";
    private const string Indicator = "smoking_at_booking";
    private const string Lead = "lmns.lead@nhs.example";
    private static readonly Period Start = new(2025, 1);
    private static readonly Period Last = Start.AddMonths(9);
    private static readonly string Lmns = ReferenceData.Embedded.LmnsOf(Trust, Start)!;
    private static readonly string Rejection = AlertInputs.RejectedSubmissionFingerprint(Trust).ToString();
    private static readonly string Equity = $"organisation|{Trust}|{Indicator}|ethnic_group|Black|ratio";

    private PipelineHarness? _harness;

    private PipelineHarness Harness => _harness!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await PipelineHarness.CreateAsync();
        await File.WriteAllTextAsync(
            Path.Combine(Harness.Root, "contacts.csv"), $"scope,code,name,email\nlmns,{Lmns},LMNS lead,{Lead}\ndefault,*,Inbox,inbox@nhs.example\n", Ct);
    }

    public async ValueTask DisposeAsync() => await Harness.DisposeAsync();

    [Fact]
    public async Task A_rejected_month_without_accepted_data_fires_a_data_quality_alert_saying_why_and_withholds_the_trusts_equity_alerts()
    {
        await IngestAsync(Submissions().Where(s => s.ReportingPeriod < Last));
        var equityBefore = await AlertAsync(Equity);
        Assert.Equal(AlertStatus.Firing, equityBefore!.Status);
        var (events, emails) = (await CountAsync("alert_event"), (await AlertEmailsAsync()).Count);

        var rejected = await Harness.DropAsync(Trust, Last, "broken.json", AlertsRecomputeTests.Broken(Submissions().Single(s => s.ReportingPeriod == Last)));

        Assert.Equal(ProcessingOutcome.Rejected, rejected.Outcome);
        var errors = await ScalarAsync("select error_count from submission where id = @id", new { id = rejected.SubmissionId });
        Assert.True(errors > 0);
        var alert = await AlertAsync(Rejection);
        Assert.NotNull(alert);
        Assert.Equal((AlertStatus.Firing, AlertSeverity.Watch, Last), (alert.Status, alert.Severity, alert.FiringSince));
        Assert.Contains($"the {Last} submission was rejected ({errors} error(s))", alert.Evidence.RuleText, StringComparison.Ordinal);
        Assert.Contains($"its equity alerts for {Last} are withheld", alert.Evidence.RuleText, StringComparison.Ordinal);
        Assert.Equal([$"{Rejection} {Last} fired"], (await AlertsRecomputeTests.EventsAsync(Harness)).Skip((int)events));
        var email = Assert.Single((await AlertEmailsAsync()).Skip(emails));
        Assert.Contains(Lead, email.Recipients, StringComparison.Ordinal);
        Assert.Contains($"Submission rejected: ", email.Text, StringComparison.Ordinal);
        Assert.Contains($"Alert id: {Rejection}", email.Text, StringComparison.Ordinal);
        Assert.Contains($"({errors} error(s))", email.Text, StringComparison.Ordinal);

        // The trust's equity alerts are inhibited for the month: no observation for it, state unchanged.
        var equity = await AlertAsync(Equity);
        Assert.DoesNotContain(equity!.Observations, o => o.Period == Last);
        Assert.Equal(equityBefore.Observations, equity.Observations);
        Assert.Equal((equityBefore.Status, equityBefore.LastEvaluated), (equity.Status, equity.LastEvaluated));
    }

    [Fact]
    public async Task The_same_rejection_processed_again_or_another_rejected_file_for_the_month_writes_nothing_new()
    {
        await IngestAsync(Submissions().Where(s => s.ReportingPeriod < Last));
        var broken = AlertsRecomputeTests.Broken(Submissions().Single(s => s.ReportingPeriod == Last));
        var first = await Harness.DropAsync(Trust, Last, "broken.json", broken);
        var (alerts, events, emails) = (await AlertsRecomputeTests.AlertRowsAsync(Harness), await CountAsync("alert_event"), (await AlertEmailsAsync()).Count);

        var redelivered = await Harness.Processor.ProcessAsync(first.SourceKey!, Ct);
        var again = await Harness.DropAsync(Trust, Last, "broken-again.json", [.. broken, .. "\n"u8.ToArray()]);

        Assert.True(redelivered.AlreadyProcessed);
        Assert.Equal(ProcessingOutcome.Rejected, again.Outcome);
        Assert.Equal(alerts, await AlertsRecomputeTests.AlertRowsAsync(Harness));
        Assert.Equal(events, await CountAsync("alert_event"));
        Assert.Equal(emails, (await AlertEmailsAsync()).Count);
    }

    [Fact]
    public async Task A_corrected_file_for_the_rejected_month_withdraws_the_data_quality_alert_and_the_next_digest_says_so_once()
    {
        await IngestAsync(Submissions().Where(s => s.ReportingPeriod < Last));
        await Harness.DropAsync(Trust, Last, "broken.json", AlertsRecomputeTests.Broken(Submissions().Single(s => s.ReportingPeriod == Last)));
        var (events, emails) = (await CountAsync("alert_event"), (await AlertEmailsAsync()).Count);

        var corrected = await Harness.DropAsync(Submissions().Single(s => s.ReportingPeriod == Last), "corrected.json");

        Assert.Equal(ProcessingOutcome.Accepted, corrected.Outcome);
        var alert = await AlertAsync(Rejection);
        Assert.Equal(AlertStatus.Resolved, alert!.Status);
        Assert.DoesNotContain(alert.Observations, o => o.Held);
        Assert.Contains($"{Rejection} {Last} withdrawn", (await AlertsRecomputeTests.EventsAsync(Harness)).Skip((int)events));
        // The month's data now count for the trust's equity alert again.
        Assert.Contains((await AlertAsync(Equity))!.Observations, o => o.Period == Last);
        // Good news waits: no email until the next month's digest (its deadline passes), which says it once.
        Assert.Equal(emails, (await AlertEmailsAsync()).Count);
        Assert.True(Harness.Time.GetUtcNow() > Harness.Services.LateCheck.DeadlineFor(Last.AddMonths(1)));
        await Harness.Services.LateCheck.CheckAsync(Last.AddMonths(1), Ct);
        var email = Assert.Single((await AlertEmailsAsync()).Skip(emails), e => e.Recipients.Contains(Lead, StringComparison.Ordinal));
        Assert.Contains("Data quality resolved", email.Text, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(email.Text, $"Alert id: {Rejection}"));
    }

    [Fact]
    public async Task A_rejected_resubmission_while_accepted_data_exist_changes_no_alert()
    {
        await IngestAsync(Submissions());
        var (alerts, events, emails) = (await AlertsRecomputeTests.AlertRowsAsync(Harness), await CountAsync("alert_event"), (await AlertEmailsAsync()).Count);

        var rejected = await Harness.DropAsync(Trust, Last, "broken.json", AlertsRecomputeTests.Broken(Submissions().Single(s => s.ReportingPeriod == Last)));

        Assert.Equal(ProcessingOutcome.Rejected, rejected.Outcome);
        Assert.Equal(alerts, await AlertsRecomputeTests.AlertRowsAsync(Harness));
        Assert.Equal(events, await CountAsync("alert_event"));
        Assert.Equal(emails, (await AlertEmailsAsync()).Count);
        Assert.Null(await AlertAsync(Rejection));
    }

    private static List<Submission> Submissions() =>
    [
        .. new SubmissionGenerator(ReferenceData.Embedded).Generate(new SyntheticScenario
        {
            Seed = 7,
            Start = Start,
            Months = 10,
            TrustCodes = [Trust],
            IndicatorCodes = [Indicator],
            Divergences = [new PlantedDivergence(Level.Organisation, Trust, Indicator, ComparisonBreakdown.EthnicGroup, "Black", 3.0, Start)],
        }),
    ];

    private async Task IngestAsync(IEnumerable<Submission> submissions)
    {
        foreach (var submission in submissions.OrderBy(s => s.ReportingPeriod))
        {
            Assert.Equal(ProcessingOutcome.Accepted, (await Harness.DropAsync(submission)).Outcome);
        }
    }

    private async Task<AlertState?> AlertAsync(string fingerprint)
    {
        var states = await Harness.Services.Store.ReadAsync((session, ct) => session.Alerts.ListAsync(null, null, ct), Ct);
        return states.SingleOrDefault(s => s.Fingerprint.ToString() == fingerprint);
    }

    private Task<List<(string Recipients, string Subject, string Text)>> AlertEmailsAsync() => AlertsRecomputeTests.AlertEmailsAsync(Harness);

    private Task<long> CountAsync(string table) => AlertsRecomputeTests.ScalarAsync(Harness, $"select count(*) from {table}");

    private async Task<long> ScalarAsync(string sql, object parameters)
    {
        await using var connection = await Harness.Services.SqlStore.OpenAsync(Ct);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
