using System.Globalization;
using System.Text;
using Pipeline.Adapters.Store;
using Pipeline.App.Detection;
using Pipeline.App.Processing;
using Pipeline.App.Tests.Processing;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.App.Tests.Detection;

/// <summary>
/// Detection wired into the processor, against a real store: the rows the loads leave, what a load rewrites, and that a full
/// recompute agrees. Run on a SQLite file always and on SQL Server when PIPELINE_TEST_SQLSERVER is set.
/// </summary>
public abstract class DetectionContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A processor over a fresh, migrated store of this engine.</summary>
    private protected abstract Task<PipelineHarness> CreateHarnessAsync();

    [Fact]
    public async Task Planted_divergence_alerts_against_white_with_its_pooled_counts_cis_and_direction()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);

        var row = await SingleRowAsync(h.Store,
            $"""
            select reference_group_code, direction, signal, signal_rule, numerator, denominator, value, ci_lower, ci_upper, reference_numerator,
                   reference_denominator, reference_value, rate_ratio, rr_ci_lower, rr_ci_upper, rr_ci_lower_998, rr_ci_upper_998, window_months,
                   months_present, min_detectable_ratio
            from v_group_comparison
            where level = 'organisation' and organisation_code = '{DetectionHistory.Planted}' and indicator_code = '{DetectionHistory.Smoking}'
              and breakdown = 'ethnic_group' and group_code = 'Black' and period_end = '{DetectionHistory.Last}'
            """);

        var (a, n) = DetectionHistory.Pooled(history.Submissions, DetectionHistory.Planted, DetectionHistory.Smoking, "Black", DetectionHistory.Last);
        var (b, nRef) = DetectionHistory.Pooled(history.Submissions, DetectionHistory.Planted, DetectionHistory.Smoking, "White", DetectionHistory.Last);
        Assert.Equal(("White", "worse", "alert", "ratio"), ((string)row[0], (string)row[1], (string)row[2], (string)row[3]));
        Assert.Equal((a, n, b, nRef), (Long(row[4]), Long(row[5]), Long(row[9]), Long(row[10])));
        Assert.Equal((12L, 12L), (Long(row[17]), Long(row[18])));
        Assert.Equal(100.0 * a / n, Real(row[6]), 9);
        Assert.Equal(100.0 * b / nRef, Real(row[11]), 9);
        Assert.Equal((double)a / n / ((double)b / nRef), Real(row[12]), 9);
        Assert.InRange(Real(row[6]), Real(row[7]), Real(row[8]));
        Assert.True(Real(row[12]) >= 1.25, $"RR {row[12]}");
        Assert.True(Real(row[15]) > 1 && Real(row[15]) < Real(row[13]) && Real(row[14]) < Real(row[16]), "the 99.8% RR interval contains the 95% one and excludes 1");
        // The minimum detectable ratio is stored from the same pooled counts, at the alert rule's settings.
        var mdr = Core.Statistics.MinimumDetectableRatio.Compute(
            n, b, nRef, lowerIsWorse: false, Core.Statistics.Confidence.Alarm, 1.25, 5);
        Assert.NotNull(mdr);
        Assert.Equal(mdr.Value, Real(row[19]), 9);
    }

    [Fact]
    public async Task Every_level_has_a_deprivation_gradient_for_each_submitted_month()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);

        var rows = await RowsAsync(h.Store,
            $"""
            select level, organisation_code, count(*), sum(case when rii is not null and rii_ci_lower <= rii and rii <= rii_ci_upper then 1 else 0 end)
            from v_deprivation_gradient where indicator_code = '{DetectionHistory.Smoking}'
            group by level, organisation_code
            """);

        var expected = history.Trusts.Select(t => ("organisation", t))
            .Concat(history.Trusts.Select(t => ("lmns", DetectionHistory.LmnsOf(t))))
            .Concat(history.Trusts.Select(t => ("region", DetectionHistory.RegionOf(t))))
            .Distinct().Order().ToList();
        Assert.Equal(expected, rows.Select(r => ((string)r[0], (string)r[1])).Order().ToList());
        Assert.All(rows, r => Assert.Equal((13L, 13L), (Long(r[2]), Long(r[3]))));
    }

    [Fact]
    public async Task Poor_ethnicity_recording_inhibits_ethnic_signals_and_raises_a_data_quality_finding()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);

        var findings = await RowsAsync(h.Store,
            $"""
            select level, organisation_code, breakdown, unknown_share, threshold from data_quality_finding
            where level = 'organisation' and period_end = '{DetectionHistory.Last}' and indicator_code = '{DetectionHistory.Smoking}'
            """);
        var inhibited = await RowsAsync(h.Store,
            $"""
            select signal, inhibited_reason from v_group_comparison
            where level = 'organisation' and organisation_code = '{history.PoorRecorder}' and breakdown = 'ethnic_group' and period_end = '{DetectionHistory.Last}'
            """);

        var finding = Assert.Single(findings);
        Assert.Equal(("organisation", history.PoorRecorder, "ethnic_group"), ((string)finding[0], (string)finding[1], (string)finding[2]));
        Assert.InRange(Real(finding[3]), 0.25, 0.35);
        Assert.Equal(0.10, Real(finding[4]), 9);
        Assert.NotEmpty(inhibited);
        Assert.All(inhibited, r => Assert.Equal("none", (string)r[0]));
        Assert.All(inhibited, r => Assert.Contains("Ethnicity not stated or not known", (string)r[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Full_recompute_gives_the_rows_the_incremental_loads_left_after_late_and_resubmitted_months()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        var late = (Trust: history.Trusts[1], Period: DetectionHistory.First.AddMonths(4));
        await history.IngestAsync(h, skip: s => (s.OrganisationCode, s.ReportingPeriod) == late);
        // A month arriving after all later ones, then resubmissions of old months (in the SPC baseline) and of a recent one.
        await DetectionHistory.AcceptAsync(h, history.Of(late.Trust, late.Period));
        var second = DetectionHistory.Create(seed: 2);
        await DetectionHistory.AcceptAsync(h, second.Of(DetectionHistory.Planted, DetectionHistory.First.AddMonths(2)), "equity-v2.json");
        // The first month: its windows reach month 12, so month 13 gets only its comparisons (SPC) rewritten.
        await DetectionHistory.AcceptAsync(h, second.Of(history.Trusts[2], DetectionHistory.First), "equity-v2.json");
        await DetectionHistory.AcceptAsync(h, second.Of(history.Trusts[3], DetectionHistory.Last.AddMonths(-1)), "equity-v2.json");
        var incremental = await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false);

        var summary = await Recompute(h).RunAsync(null, null, Ct);

        Assert.Equal(13, summary.Months);
        Assert.True(incremental["group_comparison"].Count > 1000, $"{incremental["group_comparison"].Count} comparisons");
        var full = await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false);
        foreach (var table in DetectionSnapshot.Tables)
        {
            Assert.Equal(incremental[table], full[table]);
        }

        await Recompute(h).RunAsync(DetectionHistory.Last.AddMonths(-3), null, Ct);
        Assert.Equal(full, await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false));
    }

    [Fact]
    public async Task Backfill_with_detection_deferred_then_one_recompute_gives_the_rows_of_loading_month_by_month()
    {
        await using var live = await CreateHarnessAsync();
        await using var backfill = await PipelineHarness.CreateAsync(deferDetection: true);
        var history = DetectionHistory.Create();
        await history.IngestAsync(live);
        await history.IngestAsync(backfill);

        var deferred = await DetectionSnapshot.TakeAsync(backfill.Store, withComputedAt: false);
        Assert.Empty(deferred["group_comparison"]);
        await Recompute(backfill).RunAsync(null, null, Ct);

        var expected = await DetectionSnapshot.TakeAsync(live.Store, withComputedAt: false);
        var actual = await DetectionSnapshot.TakeAsync(backfill.Store, withComputedAt: false);
        Assert.True(expected["group_comparison"].Count > 1000, $"{expected["group_comparison"].Count} comparisons");
        foreach (var table in DetectionSnapshot.Tables)
        {
            Assert.Equal(expected[table], actual[table]);
        }
    }

    [Fact]
    public async Task A_load_committed_while_the_recompute_runs_ahead_is_not_overwritten_with_counts_read_before_it()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);
        var second = DetectionHistory.Create(seed: 2);
        var reloaded = false;
        // Once the first organisation is written the producer has read (and evaluated) the next ones; every trust's last
        // month is then resubmitted, so every organisation's counts change under those reads.
        var progress = new SyncProgress(p =>
        {
            if (p.Done == 1)
            {
                foreach (var trust in history.Trusts)
                {
                    DetectionHistory.AcceptAsync(h, second.Of(trust, DetectionHistory.Last), "equity-v2.json").GetAwaiter().GetResult();
                }

                reloaded = true;
            }
        });

        var summary = await Recompute(h).RunAsync(null, progress, Ct);

        Assert.True(reloaded);
        Assert.True(summary.Organisations > DetectionRecompute.Ahead + 2, $"{summary.Organisations} organisations");
        var afterRace = await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false);
        await Recompute(h).RunAsync(null, null, Ct);
        var fresh = await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false);
        foreach (var table in DetectionSnapshot.Tables)
        {
            Assert.Equal(fresh[table], afterRace[table]);
        }
    }

    [Fact]
    public async Task Cancelling_a_recompute_midway_leaves_each_organisation_with_all_its_old_rows_or_all_its_new_ones()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);
        var before = await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false);
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(h.Time.GetUtcNow().AddDays(1));
        var recompute = new DetectionRecompute(
            h.Store, new DetectionWindows(h.Services.Reference, new DivergenceEngine(h.Services.Reference), later), later);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var written = new List<(Level, string)>();
        var progress = new SyncProgress(p =>
        {
            written.Add((p.Level, p.OrganisationCode));
            if (p.Done == 3)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => recompute.RunAsync(null, progress, cancel.Token));

        // Same content (unchanged data), so only computed_at tells the organisations written from the others.
        Assert.Equal(before, await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false));
        var stamps = await StampsAsync(h.Store);
        var recomputedAt = later.GetUtcNow();
        Assert.All(stamps, s => Assert.True(
            s.Value.All(t => t == recomputedAt) || s.Value.All(t => t < recomputedAt), $"{s.Key} is half rewritten"));
        Assert.Equal(3, written.Count);
        Assert.Equal(
            written.Select(w => (w.Item1.ToWire(), w.Item2)).Order(),
            stamps.Where(s => s.Value.All(t => t == recomputedAt)).Select(s => s.Key).Order());

        await recompute.RunAsync(null, null, Ct);
        Assert.Equal(before, await DetectionSnapshot.TakeAsync(h.Store, withComputedAt: false));
        Assert.All(await StampsAsync(h.Store), s => Assert.All(s.Value, t => Assert.Equal(recomputedAt, t)));
    }

    // Every organisation's computed_at values over the three tables (SQLite keeps them as ISO-8601 text).
    private static async Task<Dictionary<(string Level, string Code), List<DateTimeOffset>>> StampsAsync(IPipelineStore store) =>
        (await RowsAsync(store, """
            select level, organisation_code, computed_at from group_comparison
            union all select level, organisation_code, computed_at from deprivation_gradient
            union all select level, organisation_code, computed_at from data_quality_finding
            """))
            .GroupBy(
                r => ((string)r[0], (string)r[1]),
                r => r[2] is DateTimeOffset t ? t : DateTimeOffset.Parse((string)r[2], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.ToList());

    [Fact]
    public async Task A_load_rewrites_only_its_trust_lmns_and_region()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);
        var before = await DetectionSnapshot.TakeAsync(h.Store);

        await DetectionHistory.AcceptAsync(h, DetectionHistory.Create(seed: 3).Of(DetectionHistory.Planted, DetectionHistory.Last), "equity-v2.json");

        var changed = DetectionSnapshot.Changed(before, await DetectionSnapshot.TakeAsync(h.Store));
        var allowed = new[]
        {
            $"level=organisation|organisation_code={DetectionHistory.Planted}|",
            $"level=lmns|organisation_code={DetectionHistory.LmnsOf(DetectionHistory.Planted)}|",
            $"level=region|organisation_code={DetectionHistory.RegionOf(DetectionHistory.Planted)}|",
        };
        Assert.NotEmpty(changed);
        Assert.All(changed, row => Assert.Contains(allowed, a => row.Contains(": " + a, StringComparison.Ordinal)));
        Assert.All(allowed, a => Assert.Contains(changed, row => row.Contains(": " + a, StringComparison.Ordinal)));
        Assert.All(changed.Where(r => !r.StartsWith("detection_count", StringComparison.Ordinal)), row => Assert.Contains($"period_end={DetectionHistory.Last}|", row, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resubmitting_an_old_month_updates_every_later_window_containing_it()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);
        var old = DetectionHistory.First.AddMonths(3);
        var replacement = DetectionHistory.Create(seed: 4).Of(DetectionHistory.Planted, old);

        await DetectionHistory.AcceptAsync(h, replacement, "equity-v2.json");

        var current = history.Submissions.Where(s => (s.OrganisationCode, s.ReportingPeriod) != (DetectionHistory.Planted, old)).Append(replacement).ToList();
        var windows = await RowsAsync(h.Store,
            $"""
            select period_end, numerator, denominator from group_comparison
            where level = 'organisation' and organisation_code = '{DetectionHistory.Planted}' and indicator_code = '{DetectionHistory.Smoking}'
              and breakdown = 'ethnic_group' and group_code = 'Black' and period_end >= '{old}'
            """);
        Assert.Equal(10, windows.Count);
        Assert.All(windows, w => Assert.Equal(
            DetectionHistory.Pooled(current, DetectionHistory.Planted, DetectionHistory.Smoking, "Black", Period.Parse((string)w[0])),
            (Long(w[1]), Long(w[2]))));
    }

    [Fact]
    public async Task Rejected_submission_and_redelivered_file_change_no_detection_row()
    {
        await using var h = await CreateHarnessAsync();
        var history = DetectionHistory.Create();
        await history.IngestAsync(h);
        var before = await DetectionSnapshot.TakeAsync(h.Store);

        var redelivered = await h.DropAsync(history.Of(DetectionHistory.Planted, DetectionHistory.Last));
        var bad = Encoding.UTF8.GetString(Pipeline.Tests.Shared.SampleSubmissions.ToJson(history.Of(DetectionHistory.Planted, DetectionHistory.Last)))
            .Replace("\"numerator\":", "\"numerator\":1", StringComparison.Ordinal);
        var rejected = await h.DropAsync(DetectionHistory.Planted, DetectionHistory.Last, "bad.json", Encoding.UTF8.GetBytes(bad));

        Assert.Equal((ProcessingOutcome.Accepted, true), (redelivered.Outcome, redelivered.AlreadyProcessed));
        Assert.Equal(ProcessingOutcome.Rejected, rejected.Outcome);
        Assert.Equal(before, await DetectionSnapshot.TakeAsync(h.Store));
    }

    private static DetectionRecompute Recompute(PipelineHarness h) =>
        new(h.Store, new DetectionWindows(h.Services.Reference, new DivergenceEngine(h.Services.Reference), h.Time), h.Time);

    /// <summary>Reports on the thread that reports (<see cref="Progress{T}"/> posts to the thread pool, too late to act mid-run).</summary>
    private sealed class SyncProgress(Action<RecomputeProgress> report) : IProgress<RecomputeProgress>
    {
        public void Report(RecomputeProgress value) => report(value);
    }

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static double Real(object value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static async Task<object[]> SingleRowAsync(IPipelineStore store, string sql) => Assert.Single(await RowsAsync(store, sql));

    private static async Task<List<object[]>> RowsAsync(IPipelineStore store, string sql)
    {
        var rows = new List<object[]>();
        await store.RunInTransactionAsync(
            async (tx, ct) =>
            {
                await using var command = tx.Connection.CreateCommand();
                command.Transaction = tx.Transaction;
                command.CommandText = sql;
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var row = new object[reader.FieldCount];
                    reader.GetValues(row);
                    rows.Add(row);
                }
            },
            Ct);
        return rows;
    }
}

public sealed class SqliteDetectionTests : DetectionContract
{
    private protected override Task<PipelineHarness> CreateHarnessAsync() => PipelineHarness.CreateAsync();
}
