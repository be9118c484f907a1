using Pipeline.Adapters.Store;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

/// <summary>A crash at any step, then a re-run, ends in the same state as a clean run.</summary>
public sealed class CrashRecoveryTests
{
    private static readonly Period October = new(2026, 10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(ProcessingStep.Received)]
    [InlineData(ProcessingStep.Validated)]
    [InlineData(ProcessingStep.ReceiptWritten)]
    [InlineData(ProcessingStep.LakeWritten)]
    [InlineData(ProcessingStep.Loaded)]
    public async Task Crash_during_a_resubmission_then_rerun_converges_to_the_clean_state(ProcessingStep crashAt)
    {
        await using var clean = await PipelineHarness.CreateAsync();
        await using var h = await PipelineHarness.CreateAsync();
        var v1 = SampleSubmissions.Typical("R0A", October, seed: 1);
        var v2 = SampleSubmissions.Typical("R0A", October, seed: 2);
        await clean.DropAsync(v1, "v1.json");
        var expected = await clean.DropAsync(v2, "v2.json");
        await h.DropAsync(v1, "v1.json");

        h.Fault = step => step == crashAt ? throw new InvalidOperationException($"simulated crash after {step}") : Task.CompletedTask;
        var crashed = await h.DropAsync(v2, "v2.json");
        h.Fault = null;
        var rerun = await h.Processor.ProcessAsync(crashed.SourceKey, Ct);

        // After Loaded the SQL transaction has committed: the submission is accepted and the re-run only finishes tidying the lake.
        Assert.Equal(crashAt == ProcessingStep.Loaded ? ProcessingOutcome.Accepted : ProcessingOutcome.Failed, crashed.Outcome);
        Assert.Equal((ProcessingOutcome.Accepted, expected.SubmissionId), (rerun.Outcome, rerun.SubmissionId));
        Assert.Equal(await clean.Store.GetCurrentMeasuresAsync(null, Ct), await h.Store.GetCurrentMeasuresAsync(null, Ct));
        Assert.Equal(clean.LakeCurrentMeasures(), h.LakeCurrentMeasures());
        Assert.Equal(
            (await clean.Store.ListSubmissionsAsync("R0A", October, Ct)).Select(s => (s.Id, s.Status, s.SupersededBy)),
            (await h.Store.ListSubmissionsAsync("R0A", October, Ct)).Select(s => (s.Id, s.Status, s.SupersededBy)));
        Assert.Equal(LakeFiles(clean), LakeFiles(h));
    }

    [Fact]
    public async Task Crash_between_lake_and_sql_leaves_sql_untouched_until_the_rerun()
    {
        await using var h = await PipelineHarness.CreateAsync();
        h.Fault = step => step == ProcessingStep.LakeWritten ? throw new IOException("connection lost") : Task.CompletedTask;

        var crashed = await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 1));

        Assert.Equal(ProcessingOutcome.Failed, crashed.Outcome);
        Assert.Contains("connection lost", crashed.Message, StringComparison.Ordinal);
        var row = await h.Store.GetSubmissionAsync(crashed.SubmissionId, Ct);
        Assert.Equal((SubmissionStatus.Failed, 1), (row!.Status, row.Attempts));
        Assert.Empty(await h.Store.GetCurrentMeasuresAsync(null, Ct));

        h.Fault = null;
        var rerun = await h.Processor.ProcessAsync(crashed.SourceKey, Ct);

        Assert.Equal(ProcessingOutcome.Accepted, rerun.Outcome);
        Assert.Equal(540, (await h.Store.GetCurrentMeasuresAsync(null, Ct)).Count);
        Assert.Equal(await h.Store.GetCurrentMeasuresAsync(null, Ct), h.LakeCurrentMeasures());
    }

    [Fact]
    public async Task File_that_crashes_the_processor_N_times_is_quarantined_with_its_reason()
    {
        await using var h = await PipelineHarness.CreateAsync(maxAttempts: 3);
        h.Fault = step => step == ProcessingStep.Validated ? throw new InvalidDataException("parser blew up") : Task.CompletedTask;
        var key = await h.PutAsync("R0A", October, "poison.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 1)));

        var attempts = new List<ProcessingResult>();
        for (var i = 0; i < 3; i++)
        {
            attempts.Add(await h.Processor.ProcessAsync(key, Ct));
        }

        var afterwards = await h.Processor.ProcessAsync(key, Ct);

        Assert.Equal([ProcessingOutcome.Failed, ProcessingOutcome.Failed, ProcessingOutcome.Quarantined], attempts.Select(a => a.Outcome));
        Assert.True(File.Exists(h.PathOf("quarantine/submissions/R0A/2026-10/poison.json")));
        Assert.True(File.Exists(h.PathOf(key)));
        var row = await h.Store.GetSubmissionAsync(attempts[0].SubmissionId, Ct);
        Assert.Equal((SubmissionStatus.Failed, 3, "quarantine/submissions/R0A/2026-10/poison.json"), (row!.Status, row.Attempts, row.QuarantinePath));
        Assert.Contains("parser blew up", row.FailureReason, StringComparison.Ordinal);
        Assert.Contains("3 time(s)", row.FailureReason, StringComparison.Ordinal);
        Assert.Equal((ProcessingOutcome.Quarantined, true), (afterwards.Outcome, afterwards.AlreadyProcessed));
        Assert.Empty(await h.Services.Drop.PollOnceAsync(Ct));
    }

    [Fact]
    public async Task A_failure_after_the_load_on_the_last_attempt_reports_the_load_and_quarantines_nothing()
    {
        await using var h = await PipelineHarness.CreateAsync(maxAttempts: 1);
        h.Fault = step => step == ProcessingStep.Loaded ? throw new IOException("lake unreachable") : Task.CompletedTask;

        var result = await h.DropAsync(SampleSubmissions.Typical("R0A", October, seed: 1));

        Assert.Equal(ProcessingOutcome.Accepted, result.Outcome);
        Assert.Contains("lake unreachable", result.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(h.PathOf("quarantine")));
        Assert.Null((await h.Store.GetSubmissionAsync(result.SubmissionId, Ct))!.QuarantinePath);
    }

    [Fact]
    public async Task Attempts_that_died_without_recording_count_towards_quarantine()
    {
        await using var h = await PipelineHarness.CreateAsync(maxAttempts: 2);
        var key = await h.PutAsync("R0A", October, "a.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, seed: 1)));
        // A killed process records nothing after counting its attempt: simulate two such deaths by cancelling right after Received.
        for (var i = 0; i < 2; i++)
        {
            using var kill = new CancellationTokenSource();
            h.Fault = _ =>
            {
                kill.Cancel();
                kill.Token.ThrowIfCancellationRequested();
                return Task.CompletedTask;
            };
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Processor.ProcessAsync(key, kill.Token));
        }

        h.Fault = null;
        var result = await h.Processor.ProcessAsync(key, Ct);

        Assert.Equal(ProcessingOutcome.Quarantined, result.Outcome);
        Assert.Contains("stopped before it recorded", result.Message, StringComparison.Ordinal);
    }

    private static List<string> LakeFiles(PipelineHarness harness) =>
        [.. Directory.EnumerateFiles(harness.PathOf("lake"), "*.parquet", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(harness.Root, f)).Order(StringComparer.Ordinal)];
}
