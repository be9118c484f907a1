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
/// <param name="Store">The rejection's unit of work.</param>
/// <param name="HasAcceptedSubmission">Whether the month already has an accepted submission (read under the load's lock), which stays current.</param>
public sealed record AfterRejectContext(
    StoreSession Store,
    string SubmissionId,
    string OrganisationCode,
    Period ReportingPeriod,
    bool HasAcceptedSubmission);
