using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Processing;

namespace Pipeline.App.Drop;

/// <summary>
/// At-least-once processing of the drop: each poll processes every file the store has not settled (known by path and size,
/// so settled files are skipped unread), as batches (<see cref="SubmissionProcessor.ProcessBatchAsync"/>). Several workers
/// prepare distinct organisation-months; one organisation-month's files stay in key order.
/// </summary>
public sealed class DropPoller(
    IObjectStore objects,
    IPipelineStore store,
    SubmissionProcessor processor,
    TimeProvider time,
    TimeSpan minimumAge,
    ILogger<DropPoller>? logger = null,
    int workers = 1)
{
    private readonly ILogger _logger = logger ?? NullLogger<DropPoller>.Instance;

    // Files settled in this process that the table cannot recognise by path (the same bytes dropped under a second name).
    private readonly HashSet<(string Key, long Size, DateTimeOffset Modified)> _handled = [];

    private bool _lakeChecked;

    /// <summary>Processes every unsettled file in the drop once, in key order; returns what happened to each.</summary>
    public Task<IReadOnlyList<ProcessingResult>> PollOnceAsync(CancellationToken cancellationToken) =>
        PollOnceAsync(anyAge: null, cancellationToken);

    /// <summary>
    /// As <see cref="PollOnceAsync(CancellationToken)"/>, and <paramref name="anyAge"/> is taken however young it is (the blob
    /// trigger's own blob: its upload event says it is complete). A settled file is still skipped.
    /// </summary>
    public async Task<IReadOnlyList<ProcessingResult>> PollOnceAsync(string? anyAge, CancellationToken cancellationToken)
    {
        if (!_lakeChecked)
        {
            // Settled files are skipped by path, so a partition left untidy by a killed process is repaired here, once per start.
            var tidied = await processor.TidyLakeAsync(cancellationToken).ConfigureAwait(false);
            if (tidied > 0)
            {
                _logger.LogWarning("Tidied {Count} lake partition(s) left with more than one file", tidied);
            }

            _lakeChecked = true;
        }

        var settled = await store.ListSettledSourcesAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var pending = new List<ObjectInfo>();
        await foreach (var info in objects.ListAsync(SubmissionProcessor.SubmissionsArea + "/", cancellationToken).ConfigureAwait(false))
        {
            var known = settled.TryGetValue(info.Key, out var size) && size == info.SizeBytes;
            var oldEnough = minimumAge <= TimeSpan.Zero || now - info.LastModified >= minimumAge
                || string.Equals(info.Key, anyAge, StringComparison.Ordinal);
            if (!known && !IsHandled((info.Key, info.SizeBytes, info.LastModified)) && oldEnough)
            {
                pending.Add(info);
            }
        }

        // One batch (#18): every pending file prepared (distinct organisation-months on up to `workers` at once), then one load
        // transaction per batch with detection and alerts once for what it touched; one organisation-month's files stay in order.
        var items = await processor.ProcessBatchAsync([.. pending.Select(p => p.Key)], cancellationToken, workers).ConfigureAwait(false);
        var results = new List<ProcessingResult>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (info, item) = (pending[i], items[i]);
            if (item.Error is { } ex)
            {
                // Not even received (the store locked or unreachable): the next poll retries it, and the rest of its
                // organisation-month waits with it so a later version is not received first.
                _logger.LogError(ex, "Processing {Key} failed before it was recorded; retrying on the next poll", info.Key);
            }

            if (item.Result is not { } result)
            {
                continue;
            }

            if (result.IsSettled)
            {
                _handled.Add((info.Key, info.SizeBytes, info.LastModified));
            }

            results.Add(result);
        }

        return results;
    }

    private bool IsHandled((string Key, long Size, DateTimeOffset Modified) stamp)
    {
        lock (_handled)
        {
            return _handled.Contains(stamp);
        }
    }

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled (Ctrl+C), reporting each processed file.</summary>
    public async Task RunAsync(TimeSpan interval, Action<ProcessingResult> onResult, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onResult);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var result in await PollOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    onResult(result);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped mid-poll: a file cut short is not settled, so the next run processes it again (at-least-once).
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store or drop being briefly unreachable must not end a long-running watcher; the next poll retries.
                _logger.LogError(ex, "Polling the drop failed; retrying in {Interval}", interval);
            }

            try
            {
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
