using Pipeline.Core.Model;
using Pipeline.Core.Validation;

namespace Pipeline.Adapters.Store;

/// <summary>The <c>submission.status</c> values.</summary>
public static class SubmissionStatus
{
    public const string Received = "received";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Superseded = "superseded";
    public const string Failed = "failed";
}

/// <summary>A delivery as first seen: identity, where it came from, and when.</summary>
public sealed record NewSubmission(
    string Id,
    string OrganisationCode,
    string ReportingPeriod,
    string FileName,
    string SourcePath,
    string Sha256,
    long SizeBytes,
    DateTimeOffset ReceivedAt);

/// <summary>A <c>submission</c> row.</summary>
public sealed record SubmissionRecord(
    string Id,
    string OrganisationCode,
    string ReportingPeriod,
    string FileName,
    string SourcePath,
    string Sha256,
    long SizeBytes,
    DateTimeOffset ReceivedAt,
    string Status,
    int ErrorCount,
    int WarningCount,
    string? SupersededBy,
    int Attempts,
    string? FailureReason,
    string? QuarantinePath,
    string? SubmittedBy,
    DateTimeOffset? ProcessedAt)
{
    /// <summary>Processing is over: accepted, rejected, superseded, or quarantined. Another delivery changes nothing.</summary>
    public bool IsSettled => Status is SubmissionStatus.Accepted or SubmissionStatus.Rejected or SubmissionStatus.Superseded || QuarantinePath is not null;

    /// <summary>"The later received wins": received time, then id so that equal times still give one answer.</summary>
    public bool IsLaterThan(SubmissionRecord other) =>
        ReceivedAt != other.ReceivedAt ? ReceivedAt > other.ReceivedAt : string.CompareOrdinal(Id, other.Id) > 0;
}

/// <summary>What the store keeps from a validation report: counts and the examples.</summary>
public sealed record ValidationSummary(int ErrorCount, int WarningCount, string? SubmittedBy, IReadOnlyList<IssueGroup> Groups)
{
    /// <summary>
    /// Outbox rows to write in the same transaction that records the outcome (the submitter's receipt), so a crash cannot
    /// settle the submission without its receipt. Ids are deterministic: a row that exists already is kept.
    /// </summary>
    public IReadOnlyList<Pipeline.Core.Notifications.Notification> Notifications { get; init; } = [];

    public static ValidationSummary From(ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new ValidationSummary(report.ErrorCount, report.WarningCount, report.SubmittedBy, report.Groups);
    }
}

/// <summary>An accepted submission to load.</summary>
public sealed record AcceptedLoad(string SubmissionId, Submission Submission, ValidationSummary Report);

/// <param name="Status">accepted when it became current; superseded when a later-received submission already was.</param>
/// <param name="Replaced">The submission it superseded, if any.</param>
/// <param name="AlreadyLoaded">True when it had been loaded before and nothing changed.</param>
public sealed record LoadResult(string Status, string? Replaced, bool AlreadyLoaded);

/// <summary>A <c>v_submission_status</c> row: one expected trust in one month.</summary>
public sealed record SubmissionStatusRow(
    string ReportingPeriod,
    string OrganisationCode,
    string OrganisationName,
    string LmnsCode,
    DateTimeOffset DeadlineAt,
    DateTimeOffset? FirstAcceptedAt,
    DateTimeOffset? LastReceivedAt,
    int SubmissionCount,
    int RejectedCount,
    string? CurrentSubmissionId,
    string Status,
    string? RegionCode = null);

/// <summary>The values <c>v_submission_status.status</c> takes.</summary>
public static class DeliveryStatus
{
    public const string OnTime = "on_time";
    public const string Late = "late";
    public const string Missing = "missing";

    /// <summary>The month has ended, its deadline has not passed and no file has been accepted yet.</summary>
    public const string NotYetDue = "not_yet_due";
}

/// <summary>A <c>v_measure_current</c> row.</summary>
public sealed record CurrentMeasure(
    string SubmissionId,
    string OrganisationCode,
    string ReportingPeriod,
    string IndicatorCode,
    string Breakdown,
    string GroupCode,
    long Numerator,
    long Denominator);

/// <summary>A <c>validation_issue</c> row (settable so Dapper converts each engine's integer width).</summary>
public sealed record StoredIssue
{
    public string Code { get; init; } = string.Empty;

    public string Severity { get; init; } = string.Empty;

    public string Message { get; init; } = string.Empty;

    public string? RowKey { get; init; }

    public int CodeCount { get; init; }
}
