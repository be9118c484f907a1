using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;
using Pipeline.App.Processing;

namespace Pipeline.App.Drop;

/// <summary>How long an invocation waits for another's drain, and how often it looks.</summary>
/// <param name="WaitLimit">Then it gives up and throws, so the host redelivers; well under the function timeout (30 min).</param>
/// <param name="PollInterval">Between looks at the lock and at whether the holder has settled the file.</param>
public sealed record DrainTimings(TimeSpan WaitLimit, TimeSpan PollInterval)
{
    public static DrainTimings Default { get; } = new(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(2));
}

/// <summary>
/// The blob trigger's intake on a shared drop (#18): a file's event makes its invocation drain the drop. Holding the drain
/// lock, it processes every unsettled file waiting there (its own at any age) as batches through <see cref="DropPoller"/>,
/// then gives the lock up. When another instance holds it, the invocation waits, polling; it returns as soon as the holder
/// has settled its file, and takes the lock and drains when the holder has gone without doing so. Only a lock holder
/// processes, so two instances never work on one submission at once; a redelivery finds its file settled and changes
/// nothing. The file's own verdict decides the invocation: failed (or not reached) throws, so the host retries it.
/// </summary>
public sealed partial class DrainingSubmissionIntake(
    IDrainLock drainLock,
    DropPoller poller,
    IObjectStore objects,
    IPipelineStore store,
    StoreSchemaGate schema,
    ILogger<DrainingSubmissionIntake> logger,
    DrainTimings? timings = null) : ISubmissionIntake
{
    private readonly DrainTimings _timings = timings ?? DrainTimings.Default;

    public async Task ProcessAsync(string objectKey, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        // Sized now: a settled row for this path with another size is an earlier object under the same name, not this one.
        var size = (await objects.GetInfoAsync(objectKey, cancellationToken).ConfigureAwait(false))?.SizeBytes;
        // Real time, not the pipeline's clock: the wait is against other instances and the lease's real expiry.
        var waited = Stopwatch.StartNew();
        var announced = false;
        while (true)
        {
            var turn = await drainLock.TryTakeAsync(cancellationToken).ConfigureAwait(false);
            if (turn is not null)
            {
                await using (turn.ConfigureAwait(false))
                {
                    await DrainAsync(objectKey, size, turn, cancellationToken).ConfigureAwait(false);
                    return;
                }
            }

            if (await IsSettledAsync(objectKey, size, cancellationToken).ConfigureAwait(false))
            {
                LogSettledByAnother(objectKey, waited.Elapsed.TotalSeconds);
                return;
            }

            if (waited.Elapsed >= _timings.WaitLimit)
            {
                throw new SubmissionProcessingException(
                    $"{objectKey}: another instance held the drain for {_timings.WaitLimit.TotalMinutes:0.#} min without settling it; "
                    + "retried on redelivery.");
            }

            if (!announced)
            {
                LogWaiting(objectKey);
                announced = true;
            }

            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, _timings.PollInterval.TotalMilliseconds / 4)));
            await Task.Delay(_timings.PollInterval + jitter, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DrainAsync(string objectKey, long? size, IDrainTurn turn, CancellationToken cancellationToken)
    {
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, turn.Lost);
        IReadOnlyList<ProcessingResult> results;
        var took = Stopwatch.StartNew();
        try
        {
            results = await poller.PollOnceAsync(anyAge: objectKey, work.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (turn.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Stopped before another can take the lease; what this drain settled stays settled, the rest is redelivered.
            throw new SubmissionProcessingException(
                $"{objectKey}: the drain lock could not be kept, so the drain stopped; retried on redelivery.");
        }

        if (results.Count > 0)
        {
            LogDrained(results.Count, results.Count(r => r.Outcome == ProcessingOutcome.Failed), took.Elapsed.TotalSeconds, objectKey);
        }

        var own = results.LastOrDefault(r => string.Equals(r.SourceKey, objectKey, StringComparison.Ordinal));
        if (own is null)
        {
            // Not in the drain: settled before it (a redelivery), or not even received (logged by the poller).
            if (!await IsSettledAsync(objectKey, size, cancellationToken).ConfigureAwait(false))
            {
                throw new SubmissionProcessingException($"{objectKey}: could not be received this time; retried on redelivery.");
            }

            return;
        }

        if (!own.IsSettled)
        {
            throw new SubmissionProcessingException($"{objectKey}: {own.Message}");
        }
    }

    private async Task<bool> IsSettledAsync(string objectKey, long? size, CancellationToken cancellationToken)
    {
        var settled = await store.ListSettledSourcesAsync(cancellationToken).ConfigureAwait(false);
        return settled.TryGetValue(objectKey, out var settledSize) && (size is null || settledSize == size);
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "Drained {Count} file(s) from the drop as batches ({Failed} failed) in {Seconds:0.0} s, for {Key}")]
    private partial void LogDrained(int count, int failed, double seconds, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key}: another instance is draining the drop; waiting for it")]
    private partial void LogWaiting(string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Key} was settled by another instance's drain after {Seconds:0.0} s")]
    private partial void LogSettledByAnother(string key, double seconds);
}
