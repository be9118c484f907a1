using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store;

/// <summary>
/// The SQL store as the processor and the commands need it. One implementation per engine (SQLite embedded default,
/// SQL Server / Azure SQL in production) over the same schema; every write is idempotent so a re-run converges.
/// </summary>
public interface IPipelineStore
{
    /// <summary>Where the store is, for people (never includes a password).</summary>
    string Describe();

    /// <summary>Applies pending schema migrations, then upserts reference data, settings and the reporting calendar.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<SubmissionRecord?> GetSubmissionAsync(string submissionId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a delivery: inserts the row (status received) if it is new, and counts one more processing attempt unless the
    /// row is already settled. Returns the row as it now stands.
    /// </summary>
    Task<SubmissionRecord> BeginAttemptAsync(NewSubmission submission, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="BeginAttemptAsync"/> for a batch's files in one transaction (#18): one write turn instead of one per file.
    /// Rows in the order given; nothing is recorded when it throws.
    /// </summary>
    Task<IReadOnlyList<SubmissionRecord>> BeginAttemptsAsync(IReadOnlyList<NewSubmission> submissions, CancellationToken cancellationToken);

    /// <summary>The current (accepted) submission for an organisation and month, if any.</summary>
    Task<SubmissionRecord?> FindCurrentAsync(string organisationCode, Period period, CancellationToken cancellationToken);

    /// <summary>Marks the submission rejected and stores its validation issues (no-op when already settled).</summary>
    Task RecordRejectedAsync(string submissionId, ValidationSummary report, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the submission rejected and stores its validation issues, then runs <paramref name="afterReject"/> in the same
    /// transaction (no-op, steps included, when already settled).
    /// </summary>
    Task RecordRejectedAsync(string submissionId, ValidationSummary report, IReadOnlyList<IAfterReject> afterReject, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: stores the measures, makes the submission current unless a later-received one already is (then it is
    /// stored as superseded), marks the one it replaces superseded, then runs <paramref name="afterLoad"/> in the same transaction.
    /// A second call for a settled submission changes nothing.
    /// </summary>
    Task<LoadResult> LoadAcceptedAsync(AcceptedLoad load, IReadOnlyList<IAfterLoad> afterLoad, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="LoadAcceptedAsync"/> for several submissions (at most one per organisation-month) in ONE transaction: each is
    /// stored and settled exactly as alone, in the given order, then every step's <see cref="IAfterLoad.AfterLoadBatchAsync"/>
    /// runs once with the loads made. Results in the order of <paramref name="loads"/>. All commit or none does.
    /// </summary>
    Task<IReadOnlyList<LoadResult>> LoadAcceptedBatchAsync(
        IReadOnlyList<AcceptedLoad> loads, IReadOnlyList<IAfterLoad> afterLoad, CancellationToken cancellationToken);

    /// <summary>Records a processing failure; with <paramref name="quarantinePath"/> the submission is settled as failed for good.</summary>
    Task RecordFailureAsync(string submissionId, string reason, string? quarantinePath, CancellationToken cancellationToken);

    /// <summary>Source paths (with their size) whose processing is settled, so a drop poll can skip them without reading them.</summary>
    Task<IReadOnlyDictionary<string, long>> ListSettledSourcesAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<SubmissionStatusRow>> GetSubmissionStatusAsync(Period period, CancellationToken cancellationToken);

    Task<IReadOnlyList<SubmissionRecord>> ListSubmissionsAsync(string organisationCode, Period period, CancellationToken cancellationToken);

    /// <summary>The current measures (<c>v_measure_current</c>), optionally for one month.</summary>
    Task<IReadOnlyList<CurrentMeasure>> GetCurrentMeasuresAsync(Period? period, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredIssue>> GetIssuesAsync(string submissionId, CancellationToken cancellationToken);


    /// <summary>
    /// Runs <paramref name="work"/> in one transaction on a connection of this store, committing when it returns (rolling back
    /// when it throws): for work that must be atomic but is not a load, such as one batch of a full detection recompute.
    /// </summary>
    Task RunInTransactionAsync(Func<StoreSession, CancellationToken, Task> work, CancellationToken cancellationToken);

    /// <summary>As <see cref="RunInTransactionAsync"/>, returning what <paramref name="work"/> returns.</summary>
    Task<T> WriteAsync<T>(Func<StoreSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction of its own without waiting for a write turn: for reads.</summary>
    Task<T> ReadAsync<T>(Func<StoreSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ReadAsync{T}"/> for work that only reads: on SQLite its transaction does not take the write lock, so it
    /// reads the last committed state while another connection's write transaction runs (a recompute reads the next
    /// organisation's counts while the current one's rows are written).
    /// </summary>
    Task<T> QueryOnlyAsync<T>(Func<StoreSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
