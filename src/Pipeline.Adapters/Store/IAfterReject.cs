using System.Data.Common;
using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store;

/// <summary>
/// Extension point after a submission is recorded as rejected: runs inside the transaction that records the rejection, so
/// what it writes (the alert state saying the trust-month has no accepted data, its notifications) commits or rolls back with
/// the rejection. Not called for a submission that was already settled (a redelivered file).
/// </summary>
public interface IAfterReject
{
    Task AfterRejectAsync(AfterRejectContext context, CancellationToken cancellationToken);
}

/// <param name="OrganisationCode">The trust the file was dropped for.</param>
/// <param name="ReportingPeriod">The month the file was dropped for.</param>
/// <param name="Engine">"sqlite" or "sqlserver", for the few statements whose dialects differ.</param>
/// <param name="HasAcceptedSubmission">Whether the month already has an accepted submission (read under the load's lock), which stays current.</param>
public sealed record AfterRejectContext(
    DbConnection Connection,
    DbTransaction Transaction,
    string Engine,
    string SubmissionId,
    string OrganisationCode,
    Period ReportingPeriod,
    bool HasAcceptedSubmission)
{
    /// <summary>The rejection's connection and transaction, for code that also runs outside it.</summary>
    public StoreTransaction Store => new(Connection, Transaction, Engine);
}
