using System.Diagnostics;
using System.Text;
using Pipeline.Adapters.Store;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Processing;

/// <summary>Drop entries an attacker or a careless submitter leaves: each gets its own verdict, none stops the others.</summary>
public sealed class HostileDropTests
{
    private static readonly Period October = new(2026, 10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("a\u001b[31mred.json", "U+001B")]
    [InlineData("a\rb.json", "U+000D")]
    [InlineData("a\nb.json", "U+000A")]
    public async Task A_control_character_in_a_file_name_quarantines_that_file_and_the_trusts_later_files_still_load(string name, string shown)
    {
        await using var h = await PipelineHarness.CreateAsync();
        await h.PutAsync("R0A", October, name, SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));
        await h.PutAsync("R0A", October, "z-later.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 2)));
        await h.PutAsync("R0B", October, "b.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0B", October, 3)));

        var results = await h.Services.Drop.PollOnceAsync(Ct);

        var bad = Assert.Single(results, r => r.SourceKey.Contains(name, StringComparison.Ordinal));
        Assert.Equal(ProcessingOutcome.Quarantined, bad.Outcome);
        Assert.Contains(shown, bad.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(name, bad.Message, StringComparison.Ordinal);
        var row = await h.Store.GetSubmissionAsync(bad.SubmissionId, Ct);
        Assert.Contains("control character", row!.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain(row.FileName, c => char.IsControl(c));
        Assert.Equal(
            [ProcessingOutcome.Accepted, ProcessingOutcome.Accepted],
            results.Where(r => r != bad).Select(r => r.Outcome));
        Assert.Empty(await h.Services.Drop.PollOnceAsync(Ct));
    }

    [Fact]
    public async Task A_symbolic_link_in_the_drop_is_quarantined_unread_and_its_target_reaches_neither_receipt_nor_store()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var outside = Directory.CreateTempSubdirectory("pipeline-secret-").FullName;
        try
        {
            // A valid submission outside the data directory: if the link were followed it would be accepted and loaded.
            var secret = Path.Combine(outside, "secret.json");
            await File.WriteAllBytesAsync(secret, SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 7)), Ct);
            var folder = Directory.CreateDirectory(h.PathOf("submissions/R0A/2026-10")).FullName;
            File.CreateSymbolicLink(Path.Combine(folder, "link.json"), secret);
            Directory.CreateSymbolicLink(h.PathOf("submissions/R0B"), outside);

            var results = await h.Services.Drop.PollOnceAsync(Ct);

            Assert.NotEmpty(results);
            Assert.All(results, r => Assert.Equal(ProcessingOutcome.Quarantined, r.Outcome));
            Assert.Contains(results, r => r.Message!.Contains("is a symbolic link, not a regular file", StringComparison.Ordinal));
            Assert.Contains(results, r => r.SourceKey == "submissions/R0B" && r.Message!.Contains("not a regular file", StringComparison.Ordinal));
            Assert.Empty(await h.Store.GetCurrentMeasuresAsync(null, Ct));
            Assert.False(Directory.Exists(h.PathOf("reports")), "no receipt is written for an entry that was never read");
            Assert.Empty(await h.Services.Drop.PollOnceAsync(Ct));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task A_fifo_in_the_drop_gets_a_verdict_instead_of_blocking_the_poll()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var folder = Directory.CreateDirectory(h.PathOf("submissions/R0A/2026-10")).FullName;
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(folder, "pipe.csv")]))
        {
            await mkfifo.WaitForExitAsync(Ct);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        var result = Assert.Single(await h.Services.Drop.PollOnceAsync(limit.Token));

        Assert.Equal(ProcessingOutcome.Quarantined, result.Outcome);
        Assert.Contains("FIFO, device or socket", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_symbolic_link_given_by_path_is_refused_before_anything_is_read()
    {
        await using var h = await PipelineHarness.CreateAsync();
        var outside = Directory.CreateTempSubdirectory("pipeline-link-").FullName;
        try
        {
            var target = Path.Combine(outside, "target.json");
            await File.WriteAllBytesAsync(target, Encoding.UTF8.GetBytes("{}"), Ct);
            var link = Path.Combine(outside, "link.json");
            File.CreateSymbolicLink(link, target);

            var refusal = await Assert.ThrowsAsync<Adapters.Storage.NotRegularFileException>(() => h.Processor.ProcessFileAsync(link, Ct));

            Assert.Contains("is a symbolic link, not a regular file", refusal.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(h.PathOf("submissions")));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task File_names_holding_an_nhs_number_or_a_postcode_are_masked_in_the_store_and_the_receipt()
    {
        await using var h = await PipelineHarness.CreateAsync();

        var result = await h.DropAsync("R0A", October, "9434765919 SW1A 1AA.json", SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", October, 1)));

        var row = await h.Store.GetSubmissionAsync(result.SubmissionId, Ct);
        Assert.Equal("943******* SW1A ***.json", row!.FileName);
        var receipt = await File.ReadAllTextAsync(h.PathOf(result.ReceiptJsonKey!), Ct);
        Assert.DoesNotContain("9434765919", receipt, StringComparison.Ordinal);
        Assert.DoesNotContain("1AA", receipt, StringComparison.Ordinal);
    }
}
