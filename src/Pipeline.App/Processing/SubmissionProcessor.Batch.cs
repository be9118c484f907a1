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
    /// The files a one-off batch (<c>pipeline ingest</c>) prepares at once when <c>Pipeline:Drop:Workers</c> is not set: one per
    /// core, at most 4. With two or more, each batch is prepared while the previous one loads (#18). Past about 3 cores the
    /// single-writer load is the bottleneck, so more workers would only hold more memory.
    /// </summary>
    public static int DefaultIngestWorkers => Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>
    /// Processes several originals already in the object store (#18): each file is received, validated, given its receipt and
    /// written to the lake exactly as <see cref="ProcessAsync"/> does (up to <paramref name="workers"/> at once, distinct
    /// organisation-months only), then the accepted ones are loaded in ONE transaction whose after-load steps run once for the
    /// union of what the batch touched (<see cref="IPipelineStore.LoadAcceptedBatchAsync"/>). A batch holds at most one file
    /// per organisation-month: a second file for the same month goes in a later batch, so the later one supersedes exactly as
    /// it does file by file, and its receipt names the file it replaced. With more than one worker the next batch is prepared
    /// while the previous one's transaction runs (two batches in flight at most, never sharing an organisation-month; the
    /// overlapped part writes nothing to SQL). Results in the order of <paramref name="keys"/>.
    /// </summary>
    /// <remarks>
    /// With two batches in flight each takes at most half of <see cref="MaxBatchFiles"/>, so together they hold what one held:
    /// a 36-month backfill's peak memory otherwise passed 300 MB (#18). A national month (about 120 files) is one batch either way.
    /// </remarks>
    public Task<IReadOnlyList<BatchItemResult>> ProcessBatchAsync(
        IReadOnlyList<string> keys, CancellationToken cancellationToken, int workers = 1) =>
        ProcessBatchAsync(keys, cancellationToken, workers, workers > 1 ? MaxBatchFiles / 2 : MaxBatchFiles);

    // waveFiles: the most files one wave takes (MaxBatchFiles; smaller in tests, to get many waves from few files).
    internal async Task<IReadOnlyList<BatchItemResult>> ProcessBatchAsync(
        IReadOnlyList<string> keys, CancellationToken cancellationToken, int workers, int waveFiles)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(waveFiles);
        workers = Math.Max(1, workers);
        var overlap = workers > 1;
        var results = new BatchItemResult?[keys.Count];
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        // Each organisation-month's keys in their order; a wave takes the next key of each (at most MaxBatchFiles of them).
        var months = keys.Select((key, index) => (Partition: PartitionedWork.PartitionOf(key), Index: index))
            .GroupBy(x => x.Partition, StringComparer.Ordinal)
            .Select(g => (Partition: g.Key, Queue: new Queue<int>(g.Select(x => x.Index))))
            .ToList();
        Wave? loading = null;
        Wave? next = null;
        try
        {
            while (true)
            {
                if (loading is not null && !overlap)
                {
                    await LoadWaveAsync(keys, loading, results, cancellationToken).ConfigureAwait(false);
                    loading = null;
                }

                // A wave prepared while another loads takes none of its organisation-months: the month's next file waits a
                // wave, so it still finds the previous one loaded (and names it in its receipt when it replaces it).
                var indexes = NextWave(keys, months, blocked, results, loading?.Partitions, waveFiles);
                if (indexes.Count == 0)
                {
                    if (loading is null)
                    {
                        break;
                    }

                    await LoadWaveAsync(keys, loading, results, cancellationToken).ConfigureAwait(false);
                    loading = null;
                    continue;
                }

                // Receipt of the attempt first, while no transaction runs: the overlapped part below writes nothing to SQL.
                next = await BeginWaveAsync(keys, indexes, results, blocked, workers, cancellationToken).ConfigureAwait(false);
                var prepare = PrepareWaveAsync(next, workers, cancellationToken);
                if (loading is not null)
                {
                    await Task.WhenAll(LoadWaveAsync(keys, loading, results, cancellationToken), prepare).ConfigureAwait(false);
                    loading = null;
                }
                else
                {
                    await prepare.ConfigureAwait(false);
                }

                await SettleWaveAsync(keys, next, results, blocked, workers, cancellationToken).ConfigureAwait(false);
                (loading, next) = (next, null);
            }
        }
        finally
        {
            // Normally every turn is released by now; after an exception, the waves still in flight release theirs.
            loading?.ReleaseTurns();
            next?.ReleaseTurns();
        }

        return [.. results.Select((r, i) => r ?? new BatchItemResult(keys[i], null, null, Skipped: true))];
    }

    // The next key of each organisation-month (not blocked, not busy), in key order; a blocked month's keys are skipped.
    private static List<int> NextWave(
        IReadOnlyList<string> keys,
        List<(string Partition, Queue<int> Queue)> months,
        HashSet<string> blocked,
        BatchItemResult?[] results,
        IReadOnlySet<string>? busy,
        int waveFiles)
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
            else if (wave.Count < waveFiles && busy?.Contains(partition) != true)
            {
                wave.Add(queue.Dequeue());
            }
        }

        wave.Sort();
        return wave;
    }

    // Each file received and its attempt counted (SQL writes, one transaction for the wave); a file that goes no further gets its
    // result here, and one that cannot be received its error, blocking its organisation-month's later files.
    private async Task<Wave> BeginWaveAsync(
        IReadOnlyList<string> keys,
        List<int> indexes,
        BatchItemResult?[] results,
        HashSet<string> blocked,
        int workers,
        CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        void Fail(int index, Exception ex)
        {
            results[index] = new BatchItemResult(keys[index], null, ex);
            lock (blocked)
            {
                _ = blocked.Add(PartitionedWork.PartitionOf(keys[index]));
            }
        }

        var received = new List<(int Index, ReceivedFile File)>();
        IReadOnlyList<SubmissionRecord>? rows = null;
        try
        {
            await Parallel.ForEachAsync(indexes, options, async (index, ct) =>
            {
                try
                {
                    var file = await ReceiveAsync(keys[index], ct).ConfigureAwait(false);
                    lock (received)
                    {
                        received.Add((index, file));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Fail(index, ex);
                }
            }).ConfigureAwait(false);
            received.Sort((a, b) => a.Index.CompareTo(b.Index));
            if (received.Count > 0)
            {
                rows = await _store.BeginAttemptsAsync([.. received.Select(r => NewSubmissionOf(r.File))], cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nothing was recorded: each file's attempt is counted on its own below, so one file's failure is its own.
            _logger.LogWarning(ex, "Recording the attempts of {Count} files at once failed; recording them one by one", received.Count);
        }
        catch
        {
            received.ForEach(r => r.File.Turn?.Dispose());
            throw;
        }

        var wave = new Wave();
        await Parallel.ForEachAsync(Enumerable.Range(0, received.Count), options, async (i, ct) =>
        {
            var (index, file) = received[i];
            try
            {
                var (settled, row) = await BeginAsync(file, ct, rows?[i]).ConfigureAwait(false);
                if (settled is null)
                {
                    wave.Add(new WaveFile(index, file, row!));
                    return;
                }

                results[index] = new BatchItemResult(keys[index], settled with { SourceKey = keys[index] }, null);
                file.Turn?.Dispose();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                file.Turn?.Dispose();
                Fail(index, ex);
            }
            catch
            {
                file.Turn?.Dispose();
                throw;
            }
        }).ConfigureAwait(false);
        return wave;
    }

    // Validate, receipts, lake: no SQL write, so it runs alongside another wave's transaction.
    private Task PrepareWaveAsync(Wave wave, int workers, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            wave.Files,
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (file, ct) =>
                file.Prepared = await TryPrepareAsync(file.Row, file.File.Key, file.File.Place.Drop, ct).ConfigureAwait(false));

    // The SQL writes of the files not loaded (rejections, failures), once no other wave's transaction runs.
    private async Task SettleWaveAsync(
        IReadOnlyList<string> keys,
        Wave wave,
        BatchItemResult?[] results,
        HashSet<string> blocked,
        int workers,
        CancellationToken cancellationToken)
    {
        var settling = wave.Files.Where(f => f.Prepared!.Pending is null).ToList();
        await Parallel.ForEachAsync(
            settling,
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (file, ct) =>
            {
                var key = keys[file.Index];
                try
                {
                    var result = await SettleAsync(file.Row, key, file.Prepared!, ct).ConfigureAwait(false);
                    results[file.Index] = new BatchItemResult(key, result with { SourceKey = key }, null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    results[file.Index] = new BatchItemResult(key, null, ex);
                    lock (blocked)
                    {
                        _ = blocked.Add(PartitionedWork.PartitionOf(key));
                    }
                }
                finally
                {
                    file.ReleaseTurn();
                }
            }).ConfigureAwait(false);
        wave.Keep(f => f.Prepared!.Pending is not null);
    }

    // The wave's accepted files in ONE transaction (file by file if it fails), then each one completed, in key order.
    private async Task LoadWaveAsync(IReadOnlyList<string> keys, Wave wave, BatchItemResult?[] results, CancellationToken cancellationToken)
    {
        var files = wave.Files.OrderBy(f => f.Index).ToList();
        if (files.Count == 0)
        {
            return;
        }

        var pending = files.Select(f => f.Prepared!.Pending!).ToList();
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
                for (var i = 0; i < files.Count; i++)
                {
                    var alone = await LoadAloneAsync(pending[i], cancellationToken).ConfigureAwait(false);
                    results[files[i].Index] = new BatchItemResult(keys[files[i].Index], alone, null);
                }

                return;
            }

            for (var i = 0; i < files.Count; i++)
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

                results[files[i].Index] = new BatchItemResult(p.Key, result with { SourceKey = p.Key }, null);
            }
        }
        finally
        {
            wave.ReleaseTurns();
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

    /// <summary>An accepted file between its lake write and the SQL load.</summary>
    private sealed record PendingLoad(
        SubmissionRecord Row, string Key, AcceptedLoad Load, ValidationReport Report, string JsonKey, string HtmlKey);

    /// <summary>
    /// A file after its preparation: accepted (<see cref="Pending"/>), rejected (<see cref="Result"/>, and the
    /// <see cref="Rejection"/> still to record), or failed (<see cref="Failure"/>, still to record).
    /// </summary>
    private sealed record Prepared(ProcessingResult? Result, PendingLoad? Pending, ValidationSummary? Rejection, Exception? Failure);

    /// <summary>One file of a wave from its attempt on, holding its exclusive turn until its outcome is recorded.</summary>
    private sealed class WaveFile(int index, ReceivedFile file, SubmissionRecord row)
    {
        private int _released;

        public int Index => index;

        public ReceivedFile File => file;

        public SubmissionRecord Row => row;

        public Prepared? Prepared { get; set; }

        public void ReleaseTurn()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                file.Turn?.Dispose();
            }
        }
    }

    /// <summary>The files of one wave still in flight, and their organisation-months.</summary>
    private sealed class Wave
    {
        private readonly List<WaveFile> _files = [];
        private readonly HashSet<string> _partitions = new(StringComparer.Ordinal);

        public IReadOnlyList<WaveFile> Files => _files;

        public IReadOnlySet<string> Partitions => _partitions;

        public void Add(WaveFile file)
        {
            lock (_files)
            {
                _files.Add(file);
                _ = _partitions.Add(PartitionedWork.PartitionOf(file.File.Key));
            }
        }

        public void Keep(Predicate<WaveFile> keep) => _files.RemoveAll(f => !keep(f));

        public void ReleaseTurns()
        {
            foreach (var file in _files)
            {
                file.ReleaseTurn();
            }
        }
    }

    /// <summary>A file read and hashed, before its delivery is recorded.</summary>
    private sealed record ReceivedFile(
        string Key, ObjectInfo Info, PlacedFile Place, string Sha256, long Length, string Id, IDisposable? Turn);
}
