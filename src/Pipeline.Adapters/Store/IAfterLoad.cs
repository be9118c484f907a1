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
