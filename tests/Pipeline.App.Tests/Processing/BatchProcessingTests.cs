using System.Globalization;
using Pipeline.Adapters.Store;
using Pipeline.App.Processing;
using Pipeline.App.Tests.Detection;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

/// <summary>
/// Batched processing (#18) against file by file, on two real pipelines (SQLite file, Parquet lake) at the same fake time:
/// the detection history's 65 files (5 trusts, 13 months, a planted divergence that fires alerts), then a resubmission of
/// an old month and a month with two versions of one trust's file. One pipeline processes every file alone, in order; the
/// other processes each month's drop as one batch, in the same order. A month's batch touches 10 organisations (5 trusts,
/// 3 LMNSs, 2 regions), more than detection recomputes at once
/// (<see cref="Pipeline.App.Detection.DetectionAfterLoad.OrganisationsAtOnce"/>), and 5 recipient groups, so both kinds of
/// chunking are exercised.
/// </summary>
public sealed class BatchProcessingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Tables compared row for row, every column: identical whichever way the files came.</summary>
    private static readonly string[] Identical =
        [
            "submission", "measure", "validation_issue", "detection_count", "group_comparison", "deprivation_gradient",
            "data_quality_finding",
        ];

    /// <summary>Every table read (all columns but <c>alert_event.id</c>, an autoincrement counter).</summary>
    private static readonly (string Table, string[] Except)[] Tables =
    [
        ("submission", []),
        ("measure", []),
        ("validation_issue", []),
        ("detection_count", []),
        ("group_comparison", []),
        ("deprivation_gradient", []),
        ("data_quality_finding", []),
        ("alert", []),
        ("alert_observation", []),
        ("alert_event", ["id"]),
    ];

    [Fact]
    public async Task Batches_store_what_file_by_file_stores()
    {
        await using var single = await PipelineHarness.CreateAsync();
        await using var batched = await PipelineHarness.CreateAsync();
        var drops = Drops();

        foreach (var drop in drops)
        {
            foreach (var (submission, file) in drop)
            {
                var result = await single.Processor.ProcessAsync(await PutAsync(single, submission, file), Ct);
                Assert.True(result.IsSettled, result.Message);
            }

            var keys = new List<string>();
            foreach (var (submission, file) in drop)
            {
                keys.Add(await PutAsync(batched, submission, file));
            }

            var results = await batched.Processor.ProcessBatchAsync(keys, Ct);
            Assert.All(results, r => Assert.True(r.Result is { IsSettled: true }, $"{r.Key}: {r.Result?.Message ?? r.Error?.Message}"));
        }

        var expected = await DumpAsync(single.Store);
        var actual = await DumpAsync(batched.Store);
        Assert.True(expected["group_comparison"].Count > 1000, $"{expected["group_comparison"].Count} comparisons");
        Assert.Contains(expected["alert_event"], e => e.Contains("kind=fired", StringComparison.Ordinal));
        Assert.Contains(expected["submission"], s => s.Contains("status=superseded", StringComparison.Ordinal));
        foreach (var table in Identical)
        {
            Assert.Equal(expected[table], actual[table]);
        }

        Assert.Equal(expected["receipt"], actual["receipt"]);

        // Alerts. File by file decides on half-loaded months (one trust of an LMNS in, the others not yet), so an LMNS or region
        // alert can fire on one file and be withdrawn by the next; a batch decides on the whole drop. So: every alert the batch
        // holds is held file by file in the same state; the ones only file by file holds ended withdrawn (status resolved);
        // and the observations where a rule held are the same.
        var batchedAlerts = actual["alert"].Select(Fingerprint).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(batchedAlerts);
        Assert.Equal(expected["alert"].Where(a => batchedAlerts.Contains(Fingerprint(a))), actual["alert"]);
        foreach (var transient in expected["alert"].Where(a => !batchedAlerts.Contains(Fingerprint(a))))
        {
            Assert.Contains("|status=resolved|", transient, StringComparison.Ordinal);
            var events = expected["alert_event"].Where(e => Fingerprint(e) == Fingerprint(transient)).ToList();
            Assert.Contains(events, e => e.Contains("|kind=withdrawn|", StringComparison.Ordinal));
        }

        Assert.Equal(Held(expected["alert_observation"]), Held(actual["alert_observation"]));
        static bool Fired(string e) => e.Contains("|kind=fired|", StringComparison.Ordinal);
        var firedFileByFile = expected["alert_event"].Where(Fired).Select(Fingerprint).ToHashSet();
        Assert.All(actual["alert_event"].Where(Fired), e => Assert.Contains(Fingerprint(e), firedFileByFile));

        // The lake: the same current rows, and the same files current and superseded.
        Assert.Equal(single.LakeCurrentMeasures(), batched.LakeCurrentMeasures());
        Assert.Equal(LakeFiles(single.Root), LakeFiles(batched.Root));
    }

    [Fact]
    public async Task With_the_daily_check_running_as_deployed_batches_send_the_emails_file_by_file_sends()
    {
        // Each month's files arrive before its deadline; the daily check runs the morning after the deadline and releases the
        // month's digests (the trusts here are a few of their LMNSs', so a month is never complete before it). Alerts that a
        // file-by-file run raises and withdraws on a half-loaded month are never told, so the emails are the same either way.
        var opening = DetectionHistory.First.AddMonths(1);
        var start = new DateTimeOffset(opening.Year, opening.Month, 2, 9, 0, 0, TimeSpan.Zero);
        await using var single = await PipelineHarness.CreateAsync(start: start);
        await using var batched = await PipelineHarness.CreateAsync(start: start);
        foreach (var harness in new[] { single, batched })
        {
            await File.WriteAllTextAsync(
                Path.Combine(harness.Root, "contacts.csv"), "scope,code,name,email\ndefault,*,Inbox,inbox@nhs.example\n", Ct);
        }

        foreach (var drop in Drops())
        {
            var month = drop.Max(d => d.Submission.ReportingPeriod).AddMonths(1);
            var arrives = new DateTimeOffset(month.Year, month.Month, 2, 9, 0, 0, TimeSpan.Zero);
            foreach (var harness in new[] { single, batched })
            {
                MoveOn(harness, arrives);
            }

            foreach (var (submission, file) in drop)
            {
                Assert.True((await single.Processor.ProcessAsync(await PutAsync(single, submission, file), Ct)).IsSettled);
            }

            var keys = new List<string>();
            foreach (var (submission, file) in drop)
            {
                keys.Add(await PutAsync(batched, submission, file));
            }

            Assert.All(await batched.Processor.ProcessBatchAsync(keys, Ct), r => Assert.True(r.Result is { IsSettled: true }));
            foreach (var harness in new[] { single, batched })
            {
                MoveOn(harness, new DateTimeOffset(month.Year, month.Month, 16, 7, 0, 0, TimeSpan.Zero));
                _ = await harness.Services.LateCheck.CheckAsync(null, Ct);
            }
        }

        var expected = await DumpAsync(single.Store);
        var actual = await DumpAsync(batched.Store);
        Assert.Contains(expected["email"], e => e.Contains("Maternity equity digest", StringComparison.Ordinal));
        Assert.True(expected["email"].Count >= 13, $"{expected["email"].Count} emails");
        // Report links name each pipeline's own data directory.
        Assert.Equal(
            expected["email"].Select(e => e.Replace(single.Root, "<data>", StringComparison.Ordinal)),
            actual["email"].Select(e => e.Replace(batched.Root, "<data>", StringComparison.Ordinal)));
        Assert.Equal(expected["receipt"], actual["receipt"]);

        // The clock only moves forward: the last drop (a resubmission and two versions of a late month) comes after the checks.
        static void MoveOn(PipelineHarness harness, DateTimeOffset to) =>
            harness.Time.SetUtcNow(to > harness.Time.GetUtcNow() ? to : harness.Time.GetUtcNow().AddHours(1));
    }

    [Fact]
    public async Task A_second_file_for_a_month_in_one_batch_is_loaded_after_the_first_and_its_receipt_names_it()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var history = DetectionHistory.Create();
        var first = history.Of(DetectionHistory.Planted, DetectionHistory.Last);
        var second = DetectionHistory.Create(seed: 5).Of(DetectionHistory.Planted, DetectionHistory.Last);
        var keys = new[] { await PutAsync(h, first, "equity-a.json"), await PutAsync(h, second, "equity-b.json") };

        var results = await h.Processor.ProcessBatchAsync(keys, Ct);

        // Both are received at the same (fake) instant, so the larger id is the later one, as file by file.
        var (a, b) = (results[0].Result!, results[1].Result!);
        var (winner, loser) = string.CompareOrdinal(a.SubmissionId, b.SubmissionId) < 0 ? (b, a) : (a, b);
        Assert.Equal(ProcessingOutcome.Accepted, a.Outcome);
        Assert.Equal(b == winner ? ProcessingOutcome.Accepted : ProcessingOutcome.Superseded, b.Outcome);
        var rows = await h.Store.ListSubmissionsAsync(DetectionHistory.Planted, DetectionHistory.Last, Ct);
        Assert.Equal(winner.SubmissionId, Assert.Single(rows, s => s.Status == "accepted").Id);
        Assert.Equal(winner.SubmissionId, Assert.Single(rows, s => s.Id == loser.SubmissionId).SupersededBy);
        // The second file was received after the first was loaded (the next batch), so its receipt names the first.
        var receipt = await File.ReadAllTextAsync(h.PathOf(b.ReceiptJsonKey!), Ct);
        Assert.Contains("equity-a.json", receipt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlapped_waves_with_two_workers_store_what_file_by_file_stores()
    {
        // Every drop in ONE call, four files a wave, two workers: each wave is prepared while the previous one loads, and a
        // month's second and third versions go in later waves than its first.
        await using var single = await PipelineHarness.CreateAsync();
        await using var batched = await PipelineHarness.CreateAsync();
        var keys = new List<string>();
        foreach (var (submission, file) in Drops().SelectMany(d => d))
        {
            var result = await single.Processor.ProcessAsync(await PutAsync(single, submission, file), Ct);
            Assert.True(result.IsSettled, result.Message);
            keys.Add(await PutAsync(batched, submission, file));
        }

        var results = await batched.Processor.ProcessBatchAsync(keys, Ct, workers: 2, waveFiles: 4);

        Assert.Equal(keys, results.Select(r => r.Key));
        Assert.All(results, r => Assert.True(r.Result is { IsSettled: true }, $"{r.Key}: {r.Result?.Message ?? r.Error?.Message}"));
        var expected = await DumpAsync(single.Store);
        var actual = await DumpAsync(batched.Store);
        Assert.Equal(3, expected["submission"].Count(s => s.Contains("status=superseded", StringComparison.Ordinal)));
        foreach (var table in Identical)
        {
            Assert.Equal(expected[table], actual[table]);
        }

        Assert.Equal(expected["receipt"], actual["receipt"]);
        Assert.Equal(single.LakeCurrentMeasures(), batched.LakeCurrentMeasures());
        Assert.Equal(LakeFiles(single.Root), LakeFiles(batched.Root));
    }

    [Fact]
    public async Task With_two_workers_the_next_wave_is_prepared_while_the_previous_one_loads()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var history = DetectionHistory.Create();
        var keys = new List<string>();
        foreach (var trust in history.Trusts.Take(4))
        {
            keys.Add(await PutAsync(h, history.Of(trust, DetectionHistory.Last), "equity.json"));
        }

        // The first wave's first completed load waits (at most 10 s) for a file of the second wave to be validated: only a
        // second wave prepared alongside the first one's load gets there in time.
        var validated = 0;
        var secondWaveValidated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loaded = 0;
        var overlapped = false;
        h.Fault = async step =>
        {
            if (step == ProcessingStep.Validated && Interlocked.Increment(ref validated) > 2)
            {
                secondWaveValidated.TrySetResult();
            }
            else if (step == ProcessingStep.Loaded && Interlocked.Increment(ref loaded) == 1)
            {
                overlapped = await secondWaveValidated.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct)
                    .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
            }
        };

        var results = await h.Processor.ProcessBatchAsync(keys, Ct, workers: 2, waveFiles: 2);

        Assert.True(overlapped, "the second wave was not prepared while the first one loaded");
        Assert.All(results, r => Assert.Equal(ProcessingOutcome.Accepted, r.Result?.Outcome));
    }

    [Fact]
    public async Task A_superseding_file_in_a_later_overlapped_wave_names_the_file_it_replaced()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var history = DetectionHistory.Create();
        var month = DetectionHistory.Last;
        // Two files a wave: {first, trust 1}, then {trust 2} while that loads, then {second} while trust 2 loads.
        var keys = new[]
        {
            await PutAsync(h, history.Of(DetectionHistory.Planted, month), "equity-a.json"),
            await PutAsync(h, history.Of(history.Trusts[1], month), "equity.json"),
            await PutAsync(h, history.Of(history.Trusts[2], month), "equity.json"),
            await PutAsync(h, DetectionHistory.Create(seed: 5).Of(DetectionHistory.Planted, month), "equity-b.json"),
        };

        var results = await h.Processor.ProcessBatchAsync(keys, Ct, workers: 2, waveFiles: 2);

        // Both are received at the same (fake) instant, so the larger id is the later one, as file by file.
        var (a, b) = (results[0].Result!, results[3].Result!);
        var (winner, loser) = string.CompareOrdinal(a.SubmissionId, b.SubmissionId) < 0 ? (b, a) : (a, b);
        Assert.Equal(b == winner ? ProcessingOutcome.Accepted : ProcessingOutcome.Superseded, b.Outcome);
        Assert.Equal(b == winner ? a.SubmissionId : null, b.Replaced);
        var rows = await h.Store.ListSubmissionsAsync(DetectionHistory.Planted, month, Ct);
        Assert.Equal(winner.SubmissionId, Assert.Single(rows, s => s.Status == "accepted").Id);
        Assert.Equal(winner.SubmissionId, Assert.Single(rows, s => s.Id == loser.SubmissionId).SupersededBy);
        var receipt = await File.ReadAllTextAsync(h.PathOf(b.ReceiptJsonKey!), Ct);
        Assert.Contains("equity-a.json", receipt, StringComparison.Ordinal);
    }

    // Each month's files as one drop; then an old month resubmitted beside the latest month, and one trust sending two versions.
    private static List<List<(Submission Submission, string File)>> Drops()
    {
        var history = DetectionHistory.Create();
        var drops = history.Submissions.GroupBy(s => s.ReportingPeriod).OrderBy(g => g.Key)
            .Select(g => g.Select(s => (s, "equity.json")).ToList()).ToList();
        var other = DetectionHistory.Create(seed: 3);
        drops.Add(
        [
            (other.Of(DetectionHistory.Planted, DetectionHistory.First.AddMonths(4)), "equity-v2.json"),
            (other.Of(history.Trusts[1], DetectionHistory.Last), "equity-v2.json"),
            (DetectionHistory.Create(seed: 4).Of(history.Trusts[1], DetectionHistory.Last), "equity-v3.json"),
        ]);
        return drops;
    }

    private static async Task<string> PutAsync(PipelineHarness harness, Submission submission, string file) =>
        await harness.PutAsync(submission.OrganisationCode, submission.ReportingPeriod, file, SampleSubmissions.ToJson(submission));

    // A fingerprint is six |-separated parts (level|organisation|indicator|breakdown|group|rule), the row's first column.
    private static string Fingerprint(string row) => string.Join('|', row["fingerprint=".Length..].Split('|').Take(6));

    // Observations where the rule held (a severity), by alert and period.
    private static List<string> Held(List<string> observations) =>
        [.. observations.Where(o => !o.Contains("|severity=|", StringComparison.Ordinal))];

    private static List<string> LakeFiles(string root) =>
        [.. Directory.EnumerateFiles(Path.Combine(root, "lake"), "*.parquet", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

    private static async Task<Dictionary<string, List<string>>> DumpAsync(IPipelineStore store)
    {
        var dump = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await store.RunInTransactionAsync(
            async (tx, ct) =>
            {
                foreach (var (table, except) in Tables)
                {
                    dump[table] = await RowsAsync(tx, $"select * from {table}", except, ct);
                }

                dump["receipt"] = await RowsAsync(tx, "select * from notification where kind = 'receipt'", [], ct);
                dump["email"] = await RowsAsync(tx, "select * from notification where kind <> 'receipt'", [], ct);
            },
            Ct);
        return dump;
    }

    private static async Task<List<string>> RowsAsync(StoreSession tx, string sql, string[] except, CancellationToken ct)
    {
        await using var command = tx.Connection.CreateCommand();
        command.Transaction = tx.Transaction;
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                .Where(i => !except.Contains(reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}={Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}")));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
