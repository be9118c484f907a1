using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Store;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Validation;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Store;

/// <summary>
/// The behaviour every SQL store must have, run against a real SQLite file always and against SQL Server when
/// PIPELINE_TEST_SQLSERVER is set (skipped, never passed, otherwise).
/// </summary>
public abstract class StoreContract
{
    protected static readonly ReferenceData Reference = ReferenceData.Embedded;
    /// <summary>A national deployment (every region configured), so status rows cover all of England.</summary>
    // Every region, and every month of the calendar (the membership tests read months long before any file).
    protected static readonly StoreSettings Settings =
        new(DeadlineDay: 15) { Regions = [.. Reference.Regions.Select(r => r.Code)], FirstPeriod = new Period(2015, 1) };

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A freshly migrated, empty store of this engine, loaded with <paramref name="reference"/> (default: the embedded data).</summary>
    protected abstract Task<IPipelineStore> CreateStoreAsync(ReferenceData? reference = null, StoreSettings? settings = null);

    [Fact]
    public async Task Migrate_twice_keeps_one_copy_of_the_reference_data()
    {
        var store = await CreateStoreAsync();
        await store.MigrateAsync(Ct);

        var expected = Reference.TrustsActiveIn(new Period(2026, 10)).Count();
        Assert.Equal(expected, (await store.GetSubmissionStatusAsync(new Period(2026, 10), Ct)).Count);
    }

    [Fact]
    public async Task Accepted_submission_is_current_with_every_measure()
    {
        var store = await CreateStoreAsync();
        var submission = SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 1);

        var result = await LoadAsync(store, "a1", submission);

        Assert.Equal(SubmissionStatus.Accepted, result.Status);
        var current = await store.GetCurrentMeasuresAsync(new Period(2026, 10), Ct);
        Assert.Equal(submission.Measures.Count, current.Count);
        Assert.All(current, m => Assert.Equal("a1", m.SubmissionId));
        Assert.Equal(submission.Measures.Sum(m => m.Numerator), current.Sum(m => m.Numerator));
    }

    [Fact]
    public async Task Loading_the_same_submission_twice_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var submission = SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 1);
        await LoadAsync(store, "a1", submission);

        var again = await store.LoadAcceptedAsync(new AcceptedLoad("a1", submission, Clean), [], Ct);

        Assert.True(again.AlreadyLoaded);
        Assert.Equal(submission.Measures.Count, (await store.GetCurrentMeasuresAsync(null, Ct)).Count);
    }

    [Fact]
    public async Task Later_received_submission_supersedes_the_earlier_and_keeps_its_history()
    {
        var store = await CreateStoreAsync();
        var period = new Period(2026, 10);
        await LoadAsync(store, "old", SampleSubmissions.Typical("R0A", period, seed: 1));
        Time.Advance(TimeSpan.FromHours(1));
        var newer = SampleSubmissions.Typical("R0A", period, seed: 2);

        var result = await LoadAsync(store, "new", newer);

        Assert.Equal(new LoadResult(SubmissionStatus.Accepted, "old", false), result);
        var current = await store.GetCurrentMeasuresAsync(period, Ct);
        Assert.All(current, m => Assert.Equal("new", m.SubmissionId));
        Assert.Equal(newer.Measures.Sum(m => m.Denominator), current.Sum(m => m.Denominator));
        var history = await store.ListSubmissionsAsync("R0A", period, Ct);
        Assert.Equal([("old", SubmissionStatus.Superseded, "new"), ("new", SubmissionStatus.Accepted, null)],
            history.Select(h => (h.Id, h.Status, h.SupersededBy)));
    }

    [Fact]
    public async Task Earlier_received_submission_loaded_last_does_not_replace_the_later_one()
    {
        var store = await CreateStoreAsync();
        var period = new Period(2026, 10);
        await ReceiveAsync(store, "early", "R0A", period);
        Time.Advance(TimeSpan.FromHours(1));
        await LoadAsync(store, "late", SampleSubmissions.Typical("R0A", period, seed: 2));

        var result = await store.LoadAcceptedAsync(new AcceptedLoad("early", SampleSubmissions.Typical("R0A", period, seed: 1), Clean), [], Ct);

        Assert.Equal(SubmissionStatus.Superseded, result.Status);
        Assert.All(await store.GetCurrentMeasuresAsync(period, Ct), m => Assert.Equal("late", m.SubmissionId));
        Assert.Equal("late", (await store.GetSubmissionAsync("early", Ct))!.SupersededBy);
    }

    [Fact]
    public async Task Rejected_submission_keeps_its_issues_and_counts()
    {
        var store = await CreateStoreAsync();
        await ReceiveAsync(store, "bad", "R0A", new Period(2026, 10));
        var issue = new ValidationIssue("E201", Severity.Error, "numerator 12 is above denominator 10", "Check the counts", new IssueLocation(Line: 4, Column: "numerator"), "12", "stillbirth/total/all");
        var report = new ValidationSummary(3, 0, null, [new IssueGroup("E201", Severity.Error, "Numerator above denominator", 3, [issue])]);

        await store.RecordRejectedAsync("bad", report, Ct);

        var row = await store.GetSubmissionAsync("bad", Ct);
        Assert.Equal((SubmissionStatus.Rejected, 3, 0), (row!.Status, row.ErrorCount, row.WarningCount));
        var stored = Assert.Single(await store.GetIssuesAsync("bad", Ct));
        Assert.Equal(("E201", "error", "stillbirth/total/all", 3), (stored.Code, stored.Severity, stored.RowKey, stored.CodeCount));
        Assert.Empty(await store.GetCurrentMeasuresAsync(null, Ct));
    }

    [Fact]
    public async Task Attempts_are_counted_until_the_submission_settles()
    {
        var store = await CreateStoreAsync();
        await ReceiveAsync(store, "s1", "R0A", new Period(2026, 10));
        await store.RecordFailureAsync("s1", "disk full", null, Ct);
        var second = await ReceiveAsync(store, "s1", "R0A", new Period(2026, 10));
        Assert.Equal((2, SubmissionStatus.Received, false), (second.Attempts, second.Status, second.IsSettled));

        await store.RecordFailureAsync("s1", "crashed 2 times", "quarantine/submissions/R0A/2026-10/f.json", Ct);
        var settled = await ReceiveAsync(store, "s1", "R0A", new Period(2026, 10));

        Assert.Equal((2, SubmissionStatus.Failed, true, "crashed 2 times"), (settled.Attempts, settled.Status, settled.IsSettled, settled.FailureReason));
        Assert.Equal(new Dictionary<string, long> { ["submissions/R0A/2026-10/s1.json"] = 10 }, await store.ListSettledSourcesAsync(Ct));
    }

    [Fact]
    public async Task A_failing_after_load_step_rolls_the_whole_load_back()
    {
        var store = await CreateStoreAsync();
        var submission = SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 1);
        await ReceiveAsync(store, "a1", "R0A", submission.ReportingPeriod);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.LoadAcceptedAsync(new AcceptedLoad("a1", submission, Clean), [new FailingStep()], Ct));

        Assert.Empty(await store.GetCurrentMeasuresAsync(null, Ct));
        Assert.Equal(SubmissionStatus.Received, (await store.GetSubmissionAsync("a1", Ct))!.Status);
    }

    [Fact]
    public async Task After_load_steps_see_the_loaded_rows_in_the_same_transaction()
    {
        var store = await CreateStoreAsync();
        var submission = SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 1);
        await ReceiveAsync(store, "a1", "R0A", submission.ReportingPeriod);
        var probe = new CountingStep();

        await store.LoadAcceptedAsync(new AcceptedLoad("a1", submission, Clean), [probe], Ct);

        Assert.Equal((submission.Measures.Count, SubmissionStatus.Accepted), (probe.SeenRows, probe.SeenStatus));
    }

    [Fact]
    public async Task A_batch_loads_every_submission_in_one_transaction_and_runs_each_step_once_with_all_of_them()
    {
        var store = await CreateStoreAsync();
        var october = new Period(2026, 10);
        var a = SampleSubmissions.Typical("R0A", october, seed: 1);
        var b = SampleSubmissions.Typical("R0B", october, seed: 2);
        var september = SampleSubmissions.Typical("R0A", october.AddMonths(-1), seed: 4);
        await LoadAsync(store, "sep", september);
        await LoadAsync(store, "old", SampleSubmissions.Typical("R0A", october, seed: 3));
        Time.Advance(TimeSpan.FromMinutes(1));
        await ReceiveAsync(store, "a1", "R0A", october);
        await ReceiveAsync(store, "b1", "R0B", october);
        var probe = new BatchStep();

        var results = await store.LoadAcceptedBatchAsync(
            [new AcceptedLoad("sep", september, Clean), new AcceptedLoad("a1", a, Clean), new AcceptedLoad("b1", b, Clean)], [probe], Ct);

        Assert.Equal([true, false, false], results.Select(r => r.AlreadyLoaded));
        Assert.Equal("old", results[1].Replaced);
        Assert.Equal(1, probe.Calls);
        Assert.Equal(["a1", "b1"], probe.Seen);
        Assert.Equal(september.Measures.Count + a.Measures.Count + b.Measures.Count, probe.SeenRows);
        Assert.Equal(SubmissionStatus.Superseded, (await store.GetSubmissionAsync("old", Ct))!.Status);
    }

    [Fact]
    public async Task A_failing_step_rolls_the_whole_batch_back_and_two_files_of_one_month_are_refused()
    {
        var store = await CreateStoreAsync();
        var october = new Period(2026, 10);
        var a = SampleSubmissions.Typical("R0A", october, seed: 1);
        await ReceiveAsync(store, "a1", "R0A", october);
        await ReceiveAsync(store, "b1", "R0B", october);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.LoadAcceptedBatchAsync(
            [new AcceptedLoad("a1", a, Clean), new AcceptedLoad("b1", SampleSubmissions.Typical("R0B", october, seed: 2), Clean)],
            [new FailingStep()], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.LoadAcceptedBatchAsync(
            [new AcceptedLoad("a1", a, Clean), new AcceptedLoad("a2", SampleSubmissions.Typical("R0A", october, seed: 5), Clean)], [], Ct));

        Assert.Empty(await store.GetCurrentMeasuresAsync(null, Ct));
        Assert.Equal(SubmissionStatus.Received, (await store.GetSubmissionAsync("a1", Ct))!.Status);
        Assert.Equal(SubmissionStatus.Received, (await store.GetSubmissionAsync("b1", Ct))!.Status);
    }

    [Fact]
    public async Task Submission_status_shows_on_time_late_and_missing_trusts()
    {
        var store = await CreateStoreAsync();
        var period = new Period(2026, 10);
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 15, 23, 0, 0, TimeSpan.Zero));
        await LoadAsync(store, "ontime", SampleSubmissions.Typical("R0A", period, seed: 1));
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 0, 0, 1, TimeSpan.Zero));
        await LoadAsync(store, "late", SampleSubmissions.Typical("R0B", period, seed: 2));

        var status = (await store.GetSubmissionStatusAsync(period, Ct)).ToDictionary(r => r.OrganisationCode);

        Assert.Equal(DeliveryStatus.OnTime, status["R0A"].Status);
        Assert.Equal("ontime", status["R0A"].CurrentSubmissionId);
        Assert.Equal(DeliveryStatus.Late, status["R0B"].Status);
        Assert.Equal(DeliveryStatus.Missing, status["R0D"].Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), status["R0A"].DeadlineAt);
    }

    [Fact]
    public async Task Submission_status_expects_a_trust_only_while_it_is_open()
    {
        var store = await CreateStoreAsync();

        var march = (await store.GetSubmissionStatusAsync(new Period(2023, 3), Ct)).Select(r => r.OrganisationCode).ToList();
        var april = (await store.GetSubmissionStatusAsync(new Period(2023, 4), Ct)).Select(r => r.OrganisationCode).ToList();

        Assert.Contains("RA4", march);
        Assert.DoesNotContain("RA4", april);
        Assert.Equal(Reference.TrustsActiveIn(new Period(2023, 4)).Select(t => t.Code).Order(StringComparer.Ordinal), april.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Submission_status_follows_a_trust_into_its_new_lmns()
    {
        var store = await CreateStoreAsync();

        var before = (await store.GetSubmissionStatusAsync(new Period(2026, 3), Ct)).Single(r => r.OrganisationCode == "R1K");
        var after = (await store.GetSubmissionStatusAsync(new Period(2026, 4), Ct)).Single(r => r.OrganisationCode == "R1K");

        Assert.Equal(("QRV", "Z9B2Z"), (before.LmnsCode, after.LmnsCode));
    }

    [Fact]
    public async Task Submission_status_has_one_row_per_trust_even_when_its_lmns_changes_mid_month()
    {
        var reference = new ReferenceData(
            Reference.Indicators, Reference.EthnicCategories, Reference.Deciles, Reference.Regions, Reference.LmnsList,
            [new Trust("R0A", "A TRUST", null, null, null, null)],
            [new Membership("R0A", "QOP", null, new DateOnly(2026, 10, 14)), new Membership("R0A", "QE1", new DateOnly(2026, 10, 15), null)]);
        var store = await CreateStoreAsync(reference);

        var october = await store.GetSubmissionStatusAsync(new Period(2026, 10), Ct);

        Assert.Equal("R0A", Assert.Single(october).OrganisationCode);
    }

    [Fact]
    public async Task Submission_status_starts_at_the_deployments_first_month_not_at_the_calendars()
    {
        var store = await CreateStoreAsync(settings: Settings with { FirstPeriod = null });
        Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Empty(await store.GetSubmissionStatusAsync(new Period(2026, 9), Ct));

        await LoadAsync(store, "r0a", SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 1));

        // Nothing was collected before the first accepted month, so September is not a month of 'missing' files.
        Assert.Empty(await store.GetSubmissionStatusAsync(new Period(2026, 9), Ct));
        Assert.Contains(await store.GetSubmissionStatusAsync(new Period(2026, 10), Ct), r => r.Status == DeliveryStatus.Missing);

        var configured = await CreateStoreAsync(settings: Settings with { FirstPeriod = new Period(2026, 8) });
        Assert.Contains(await configured.GetSubmissionStatusAsync(new Period(2026, 9), Ct), r => r.Status == DeliveryStatus.Missing);
        Assert.Empty(await configured.GetSubmissionStatusAsync(new Period(2026, 7), Ct));
    }

    [Fact]
    public async Task Submission_status_lists_ended_months_only_by_the_applications_clock_and_says_not_yet_due_before_the_deadline()
    {
        var store = await CreateStoreAsync();
        await LoadAsync(store, "r0a", SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 1));

        // 2026-11-02 by the store's TimeProvider: October has ended, its deadline (15 November) has not passed, November has not ended.
        var october = (await store.GetSubmissionStatusAsync(new Period(2026, 10), Ct)).ToDictionary(r => r.OrganisationCode);
        Assert.Equal(DeliveryStatus.OnTime, october["R0A"].Status);
        Assert.Equal(DeliveryStatus.NotYetDue, october["R0D"].Status);
        Assert.Empty(await store.GetSubmissionStatusAsync(new Period(2026, 11), Ct));

        Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(DeliveryStatus.Missing, (await store.GetSubmissionStatusAsync(new Period(2026, 10), Ct)).Single(r
            => r.OrganisationCode == "R0D").Status);
        Assert.Empty(await store.GetSubmissionStatusAsync(new Period(2026, 11), Ct));
        Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(DeliveryStatus.NotYetDue, (await store.GetSubmissionStatusAsync(new Period(2026, 11), Ct)).Single(r
            => r.OrganisationCode == "R0A").Status);
    }

    [Fact]
    public async Task Submission_status_without_configured_regions_expects_the_regions_whose_trusts_have_sent_files()
    {
        var store = await CreateStoreAsync(settings: new StoreSettings(DeadlineDay: 15));
        var october = new Period(2026, 10);
        Assert.Empty(await store.GetSubmissionStatusAsync(october, Ct));

        await LoadAsync(store, "r0a", SampleSubmissions.Typical("R0A", october, seed: 1));
        var rows = await store.GetSubmissionStatusAsync(october, Ct);

        var northWest = Reference.TrustsActiveIn(october).Where(t => Reference.RegionOf(t.Code, october) == "Y62").Select(t => t.Code)
            .Order(StringComparer.Ordinal);
        Assert.Equal(northWest, rows.Select(r => r.OrganisationCode).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("Y62", r.RegionCode));
        Assert.All(rows, r => Assert.Equal(Reference.LmnsOf(r.OrganisationCode, october), r.LmnsCode));
    }

    [Fact]
    public async Task Submission_status_with_a_configured_region_expects_that_regions_trusts_only()
    {
        var store = await CreateStoreAsync(settings: new StoreSettings(DeadlineDay: 15) { Regions = ["Y56"] });
        var october = new Period(2026, 10);
        await LoadAsync(store, "r0a", SampleSubmissions.Typical("R0A", october, seed: 1));

        var rows = await store.GetSubmissionStatusAsync(october, Ct);

        Assert.Equal(Reference.TrustsActiveIn(october).Count(t => Reference.RegionOf(t.Code, october) == "Y56"), rows.Count);
        Assert.All(rows, r => Assert.Equal("Y56", r.RegionCode));
    }

    protected static ValidationSummary Clean { get; } = new(0, 0, "analyst@nhs.net", []);

    protected async Task<SubmissionRecord> ReceiveAsync(IPipelineStore store, string id, string organisation, Period period) =>
        await store.BeginAttemptAsync(
            new NewSubmission(id, organisation, period.ToString(), id + ".json", $"submissions/{organisation}/{period}/{id}.json", new string('0', 64), 10, Time.GetUtcNow()),
            Ct);

    protected async Task<LoadResult> LoadAsync(IPipelineStore store, string id, Submission submission)
    {
        await ReceiveAsync(store, id, submission.OrganisationCode, submission.ReportingPeriod);
        return await store.LoadAcceptedAsync(new AcceptedLoad(id, submission, Clean), [], Ct);
    }

    private sealed class FailingStep : IAfterLoad
    {
        public Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("detection failed");
    }

    private sealed class BatchStep : IAfterLoad
    {
        public int Calls { get; private set; }

        public List<string> Seen { get; } = [];

        public int SeenRows { get; private set; }

        public Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a batch calls the batch step, not the per-load one");

        public async Task AfterLoadBatchAsync(AfterLoadBatchContext context, CancellationToken cancellationToken)
        {
            Calls++;
            Seen.AddRange(context.Loads.Select(l => l.SubmissionId));
            using var command = context.Store.Connection.CreateCommand();
            command.Transaction = context.Store.Transaction;
            command.CommandText = "select count(*) from v_measure_current";
            var rows = await command.ExecuteScalarAsync(cancellationToken);
            SeenRows = Convert.ToInt32(rows, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private sealed class CountingStep : IAfterLoad
    {
        public int SeenRows { get; private set; }

        public string? SeenStatus { get; private set; }

        public async Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken)
        {
            using var command = context.Store.Connection.CreateCommand();
            command.Transaction = context.Store.Transaction;
            command.CommandText = "select count(*) from v_measure_current";
            SeenRows = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            SeenStatus = context.Status;
        }
    }
}
