using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.Adapters.Storage;
using Pipeline.App.Drop;
using Pipeline.Core.Submissions;
using Pipeline.Core.Validation;

namespace Pipeline.App.Processing;

/// <summary>What became of one file of a batch: its result, or why it could not even be received (then Result is null).</summary>
/// <param name="Skipped">Not attempted: an earlier file of the same organisation-month could not be received, so it waits with it.</param>
public sealed record BatchItemResult(string Key, ProcessingResult? Result, Exception? Error, bool Skipped = false);

public sealed partial class SubmissionProcessor
{
    /// <summary>The most files one batch transaction loads (a bound on the memory a batch holds, and on one transaction's size).</summary>
    public const int MaxBatchFiles = 256;

    /// <summary>
    /// Processes several originals already in the object store (#18): each file is received, validated, given its receipt and
    /// written to the lake exactly as <see cref="ProcessAsync"/> does (up to <paramref name="workers"/> at once, distinct
    /// organisation-months only), then the accepted ones are loaded in ONE transaction whose after-load steps run once for the
    /// union of what the batch touched (<see cref="IPipelineStore.LoadAcceptedBatchAsync"/>). A batch holds at most one file
    /// per organisation-month: a second file for the same month goes in the next batch, so the later one supersedes exactly as
    /// it does file by file, and its receipt names the file it replaced. Results in the order of <paramref name="keys"/>.
    /// </summary>
    public async Task<IReadOnlyList<BatchItemResult>> ProcessBatchAsync(
        IReadOnlyList<string> keys, CancellationToken cancellationToken, int workers = 1)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var results = new BatchItemResult?[keys.Count];
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        // Each organisation-month's keys in their order; a wave takes the next key of each (at most MaxBatchFiles of them).
        var months = keys.Select((key, index) => (Partition: PartitionedWork.PartitionOf(key), Index: index))
            .GroupBy(x => x.Partition, StringComparer.Ordinal)
            .Select(g => (Partition: g.Key, Queue: new Queue<int>(g.Select(x => x.Index))))
            .ToList();
        while (months.Any(m => m.Queue.Count > 0))
        {
            var wave = new List<int>();
            foreach (var (partition, queue) in months.Where(m => m.Queue.Count > 0))
            {
                if (blocked.Contains(partition))
                {
                    while (queue.TryDequeue(out var skipped))
                    {
                        results[skipped] = new BatchItemResult(keys[skipped], null, null, Skipped: true);
                    }
                }
                else if (wave.Count < MaxBatchFiles)
                {
                    wave.Add(queue.Dequeue());
                }
            }

            wave.Sort();
            if (wave.Count > 0)
            {
                await RunWaveAsync(keys, wave, results, blocked, workers, cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. results.Select((r, i) => r ?? new BatchItemResult(keys[i], null, null, Skipped: true))];
    }

    private async Task RunWaveAsync(
        IReadOnlyList<string> keys,
        List<int> wave,
        BatchItemResult?[] results,
        HashSet<string> blocked,
        int workers,
        CancellationToken cancellationToken)
    {
        var pending = new List<PendingLoad>();
        await Parallel.ForEachAsync(
            wave,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, workers), CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                var key = keys[index];
                try
                {
                    if (await ProcessKeyAsync(key, pending, ct).ConfigureAwait(false) is { } result)
                    {
                        results[index] = new BatchItemResult(key, result with { SourceKey = key }, null);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    results[index] = new BatchItemResult(key, null, ex);
                    lock (blocked)
                    {
                        _ = blocked.Add(PartitionedWork.PartitionOf(key));
                    }
                }
            }).ConfigureAwait(false);

        if (pending.Count == 0)
        {
            return;
        }

        var order = keys.Select((k, i) => (k, i)).Where(x => wave.Contains(x.i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        pending.Sort((a, b) => order[a.Key].CompareTo(order[b.Key]));
        try
        {
            IReadOnlyList<LoadResult> loads;
            try
            {
                loads = await _store.LoadAcceptedBatchAsync([.. pending.Select(p => p.Load)], _afterLoad, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The batch rolled back as a whole: each file is loaded on its own instead, so one file's failure is its verdict alone.
                _logger.LogWarning(ex, "A batch load of {Count} files failed; loading them one by one", pending.Count);
                foreach (var p in pending)
                {
                    var alone = await LoadAloneAsync(p, cancellationToken).ConfigureAwait(false);
                    results[order[p.Key]] = new BatchItemResult(p.Key, alone, null);
                }

                return;
            }

            for (var i = 0; i < pending.Count; i++)
            {
                var p = pending[i];
                ProcessingResult result;
                try
                {
                    result = await CompleteAsync(p, loads[i], cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    result = await FailedAsync(p.Row, p.Key, ex, cancellationToken).ConfigureAwait(false);
                }

                results[order[p.Key]] = new BatchItemResult(p.Key, result with { SourceKey = p.Key }, null);
            }
        }
        finally
        {
            foreach (var p in pending)
            {
                p.Turn?.Dispose();
            }
        }
    }

    private async Task<ProcessingResult> LoadAloneAsync(PendingLoad pending, CancellationToken cancellationToken)
    {
        try
        {
            var load = await _store.LoadAcceptedAsync(pending.Load, _afterLoad, cancellationToken).ConfigureAwait(false);
            return await CompleteAsync(pending, load, cancellationToken).ConfigureAwait(false) with { SourceKey = pending.Key };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failed = await FailedAsync(pending.Row, pending.Key, ex, cancellationToken).ConfigureAwait(false);
            return failed with { SourceKey = pending.Key };
        }
    }

    /// <summary>
    /// <see cref="ProcessBatchAsync"/> for files outside the object store: each is copied in first (as
    /// <see cref="ProcessFileAsync"/> does); a file that cannot be copied in gets its error and the rest go on.
    /// </summary>
    public async Task<IReadOnlyList<BatchItemResult>> ProcessFilesAsync(
        IReadOnlyList<string> paths, CancellationToken cancellationToken, int workers = 1)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var copied = new (string? Key, Exception? Error)[paths.Count];
        for (var i = 0; i < paths.Count; i++)
        {
            try
            {
                copied[i] = (await _localFiles.CopyInAsync(paths[i], cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                copied[i] = (null, ex);
            }
        }

        var keys = copied.Where(c => c.Key is not null).Select(c => c.Key!).ToList();
        var processed = new Queue<BatchItemResult>(await ProcessBatchAsync(keys, cancellationToken, workers).ConfigureAwait(false));
        return [.. copied.Select((c, i) => c.Key is null ? new BatchItemResult(paths[i], null, c.Error) : processed.Dequeue())];
    }

    /// <summary>An accepted file between its lake write and the SQL load, holding its exclusive turn until the load is done.</summary>
    private sealed record PendingLoad(
        SubmissionRecord Row,
        string Key,
        AcceptedLoad Load,
        ValidationReport Report,
        string JsonKey,
        string HtmlKey,
        IDisposable? Turn = null);

    /// <summary>A file read and hashed, before its delivery is recorded.</summary>
    private sealed record ReceivedFile(
        string Key, ObjectInfo Info, PlacedFile Place, string Sha256, long Length, string Id, IDisposable? Turn);
}
