using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store;

/// <summary>
/// Extension point after a submission's measures are loaded: runs inside the load's transaction, so what it writes
/// (group comparisons, alert state, notifications in the outbox) commits or rolls back with the measures. Detection and
/// alerting plug in here.
/// </summary>
public interface IAfterLoad
{
    Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken);

    /// <summary>
    /// After a batch of loads (<see cref="IPipelineStore.LoadAcceptedBatchAsync"/>), once, in the batch's transaction, with every
    /// load it made (already-settled submissions left out). A step that can serve the union of what the batch touched in one pass
    /// (detection, alerts) does so here; by default the step runs once per load, in load order.
    /// </summary>
    async Task AfterLoadBatchAsync(AfterLoadBatchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var load in context.Loads)
        {
            await AfterLoadAsync(load, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <param name="Status">What the load made of the submission: accepted (current) or superseded (a later one is current).</param>
/// <param name="Replaced">The submission it superseded, if any.</param>
/// <param name="Store">The load's unit of work: what the step reads and writes commits or rolls back with the measures.</param>
public sealed record AfterLoadContext(
    StoreSession Store,
    string SubmissionId,
    Submission Submission,
    string Status,
    string? Replaced);

/// <param name="Store">The batch's unit of work (one transaction for every load in it).</param>
/// <param name="Loads">Each load the batch made, in load order; at most one per organisation-month.</param>
public sealed record AfterLoadBatchContext(StoreSession Store, IReadOnlyList<AfterLoadContext> Loads)
{
    /// <summary>The loads that made their submission current (a superseded load changes no current measure).</summary>
    public IReadOnlyList<AfterLoadContext> Accepted => [.. Loads.Where(l => l.Status == SubmissionStatus.Accepted)];
}
