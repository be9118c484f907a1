using Pipeline.Adapters.Store;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

public sealed class DropTests
{
    private static readonly Period October = new(2026, 10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Poll_processes_each_new_file_once()
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.PutAsync("R0A", October, "a.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));
        await h.PutAsync("R0B", October, "b.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0B", October, 2)));

        var first = await h.Services.Drop.PollOnceAsync(Ct);
        var second = await h.Services.Drop.PollOnceAsync(Ct);

        Assert.Equal([ProcessingOutcome.Accepted, ProcessingOutcome.Accepted], first.Select(r => r.Outcome));
        Assert.Empty(second);
    }

    [Fact]
    public async Task A_restarted_poller_skips_files_the_store_has_settled()
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.PutAsync("R0A", October, "a.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));
        await h.Services.Drop.PollOnceAsync(Ct);

        var restarted = new Drop.DropPoller(h.Services.Objects, h.Store, h.Processor, h.Time, TimeSpan.Zero);

        Assert.Empty(await restarted.PollOnceAsync(Ct));
    }

    [Fact]
    public async Task Files_still_being_written_wait_for_the_next_poll()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var youngFilesWait = new Drop.DropPoller(h.Services.Objects, h.Store, h.Processor, TimeProvider.System, TimeSpan.FromHours(1));
        await h.PutAsync("R0A", October, "a.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));

        Assert.Empty(await youngFilesWait.PollOnceAsync(Ct));
    }

    [Theory]
    [InlineData("submissions/ZZZ9/2026-10/a.json", "'ZZZ9' is not a trust")]
    [InlineData("submissions/R0A/October/a.json", "'October' is not a reporting month")]
    [InlineData("submissions/R0A/a.json", "is not of the form submissions/{organisation}/{yyyy-MM}/{file}")]
    [InlineData("submissions/R0A/2026-10/extra/a.json", "is not of the form")]
    public async Task Misplaced_files_are_quarantined_with_the_reason(string key, string reason)
    {
        await using var h = await PipelineHarness.CreateAsync();
        using (var content = new MemoryStream(SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1))))
        {
            await h.Services.Objects.WriteAsync(key, content, Ct);
        }

        var result = Assert.Single(await h.Services.Drop.PollOnceAsync(Ct));

        Assert.Equal(ProcessingOutcome.Quarantined, result.Outcome);
        Assert.True(File.Exists(h.PathOf("quarantine/" + key)));
        var row = await h.Store.GetSubmissionAsync(result.SubmissionId, Ct);
        Assert.Equal(SubmissionStatus.Failed, row!.Status);
        Assert.Contains(reason, row.FailureReason, StringComparison.Ordinal);
        Assert.Empty(await h.Store.GetCurrentMeasuresAsync(null, Ct));
        Assert.Empty(await h.Services.Drop.PollOnceAsync(Ct));
    }

    [Fact]
    public async Task A_file_given_by_path_is_copied_into_its_trust_and_month_untouched()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var outside = Directory.CreateTempSubdirectory("pipeline-outside-").FullName;
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(outside, "R0A", "2026-10")).FullName;
            var bytes = SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1));
            var path = Path.Combine(folder, "october.json");
            await File.WriteAllBytesAsync(path, bytes, Ct);

            var result = await h.Processor.ProcessFileAsync(path, Ct);
            var again = await h.Processor.ProcessFileAsync(path, Ct);

            Assert.Equal(("submissions/R0A/2026-10/october.json", ProcessingOutcome.Accepted), (result.SourceKey, result.Outcome));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(h.PathOf(result.SourceKey), Ct));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(path, Ct));
            Assert.Equal((result.SourceKey, true), (again.SourceKey, again.AlreadyProcessed));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task A_loose_file_is_placed_by_its_content_and_a_different_file_of_the_same_name_gets_its_own_name()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var outside = Directory.CreateTempSubdirectory("pipeline-outside-").FullName;
        try
        {
            var path = Path.Combine(outside, "return.json");
            await File.WriteAllBytesAsync(path, SampleSubmissions.ToJson(SampleSubmissions.Typical("R0B", October, 1)), Ct);
            var first = await h.Processor.ProcessFileAsync(path, Ct);
            await File.WriteAllBytesAsync(path, SampleSubmissions.ToJson(SampleSubmissions.Typical("R0B", October, 2)), Ct);

            var second = await h.Processor.ProcessFileAsync(path, Ct);

            Assert.Equal("submissions/R0B/2026-10/return.json", first.SourceKey);
            Assert.StartsWith("submissions/R0B/2026-10/return.", second.SourceKey, StringComparison.Ordinal);
            Assert.NotEqual(first.SourceKey, second.SourceKey);
            Assert.Equal((ProcessingOutcome.Accepted, first.SubmissionId), (second.Outcome, second.Replaced));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task A_loose_file_that_names_no_trust_is_refused_with_what_to_do()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var path = Path.Combine(h.Root, "mystery.json");
        await File.WriteAllTextAsync(path, "{}", Ct);

        var error = await Assert.ThrowsAsync<SubmissionPlacementException>(() => h.Processor.ProcessFileAsync(path, Ct));

        Assert.Contains("mystery.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("R0A/2026-10/", error.Message, StringComparison.Ordinal);
    }
}
