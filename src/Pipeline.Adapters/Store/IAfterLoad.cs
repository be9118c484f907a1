using System.Data.Common;
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
/// <param name="Engine">"sqlite" or "sqlserver", for the few statements whose dialects differ.</param>
public sealed record AfterLoadContext(
    DbConnection Connection,
    DbTransaction Transaction,
    string Engine,
    string SubmissionId,
    Submission Submission,
    string Status,
    string? Replaced)
{
    /// <summary>The load's connection and transaction, for code that also runs outside a load.</summary>
    public StoreTransaction Store => new(Connection, Transaction, Engine);
}

/// <summary>An open connection with its transaction, and the engine ("sqlite" or "sqlserver") for dialect differences.</summary>
public sealed record StoreTransaction(DbConnection Connection, DbTransaction Transaction, string Engine);
