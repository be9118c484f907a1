using Pipeline.App.Tests.Processing;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Alerts;

/// <summary>The late/missing check against a real SQLite store: one email per LMNS per month, idempotent, and withdrawn when the file arrives.</summary>
public sealed class LateSubmissionCheckTests : IAsyncLifetime
{
    private static readonly Period October = new(2026, 10);
    private static readonly string Lmns = ReferenceData.Embedded.LmnsOf("R0A", October)!;
    private PipelineHarness? _harness;

    private PipelineHarness Harness => _harness!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await PipelineHarness.CreateAsync();
        await File.WriteAllTextAsync(
            Path.Combine(Harness.Root, "contacts.csv"), $"scope,code,name,email\nlmns,{Lmns},Lead,lead@nhs.example\ndefault,*,Inbox,inbox@nhs.example\n", Ct);
    }

    public async ValueTask DisposeAsync() => await Harness.DisposeAsync();

    [Fact]
    public async Task After_the_deadline_each_lmns_gets_one_digest_listing_its_trusts_without_an_accepted_file_and_a_rerun_adds_nothing()
    {
        await Harness.DropAsync(SampleSubmissions.Typical("R0A", October, 1));
        Harness.Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 7, 0, 0, TimeSpan.Zero)); // deadline day 15 has passed

        var first = await Harness.Services.LateCheck.CheckAsync(null, Ct);
        var again = await Harness.Services.LateCheck.CheckAsync(null, Ct);

        var expectedLate = ReferenceData.Embedded.TrustsInLmns(Lmns, October).Where(c => c != "R0A").Order(StringComparer.Ordinal).ToList();
        var email = Assert.Single(first.Notifications, n => n.Recipients.Any(r => r.Email == "lead@nhs.example"));
        Assert.All(expectedLate, code => Assert.Contains($"organisation|{code}|all|total|all|late_submission", email.Text, StringComparison.Ordinal));
        Assert.DoesNotContain("organisation|R0A|all|total|all|late_submission", email.Text, StringComparison.Ordinal);
        Assert.Empty(again.Notifications);
        Assert.True(again.Decision.IsEmpty);
        Assert.Contains(email.Id, (await Harness.Services.Outbox.ListDueAsync(Harness.Time.GetUtcNow(), 1000, Ct)).Select(n => n.Id));
    }

    [Fact]
    public async Task A_file_that_arrives_after_the_check_withdraws_the_trusts_late_alert_and_the_lead_hears_it_in_the_next_digest()
    {
        Harness.Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 7, 0, 0, TimeSpan.Zero));
        await Harness.Services.LateCheck.CheckAsync(October, Ct);

        await Harness.DropAsync(SampleSubmissions.Typical("R0A", October, 1));
        var next = await Harness.Services.LateCheck.CheckAsync(October, Ct);

        // Good news waits for the digest: the withdrawal is recorded now, and nobody is emailed on its own about it.
        Assert.Equal(AlertEventKind.Withdrawn, Assert.Single(next.Decision.Events).Kind);
        Assert.Empty(next.Notifications);

        // R0A sends November on time; the daily check after November's deadline releases the next digest.
        await Harness.DropAsync(SampleSubmissions.Typical("R0A", October.AddMonths(1), 1));
        Harness.Time.SetUtcNow(new DateTimeOffset(2026, 12, 16, 7, 0, 0, TimeSpan.Zero));
        var november = await Harness.Services.LateCheck.CheckAsync(October.AddMonths(1), Ct);
        var digest = Assert.Single(november.Notifications, n => n.Recipients.Any(r => r.Email == "lead@nhs.example"));
        Assert.StartsWith($"Maternity equity digest: ", digest.Subject, StringComparison.Ordinal);
        Assert.Contains("1 late file now in", digest.Subject, StringComparison.Ordinal);
        var now = digest.Text[digest.Text.IndexOf("Late submissions now in", StringComparison.Ordinal)..];
        Assert.Contains("organisation|R0A|all|total|all|late_submission", now, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_the_deadline_the_due_month_is_the_one_before()
    {
        Assert.Equal(new Period(2026, 9), Harness.Services.LateCheck.DuePeriod(new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(October, Harness.Services.LateCheck.DuePeriod(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero)));
    }
}
