namespace Pipeline.App.Processing;

public enum ProcessingOutcome
{
    /// <summary>Valid, loaded, and now the current submission for its organisation-month.</summary>
    Accepted,

    /// <summary>Valid and loaded into history, but a later-received submission for the same organisation-month is current.</summary>
    Superseded,

    /// <summary>Invalid: the receipt says what to fix; nothing was loaded.</summary>
    Rejected,

    /// <summary>This attempt failed; the file will be retried on the next delivery or poll.</summary>
    Failed,

    /// <summary>Moved to quarantine (bad drop path, unknown trust, or too many failed attempts); the reason is recorded.</summary>
    Quarantined,
}

/// <summary>What happened to one file.</summary>
/// <param name="SourceKey">The original's key in the object store (<c>submissions/{org}/{period}/{file}</c>).</param>
/// <param name="AlreadyProcessed">The same bytes had already been processed for this organisation-month; nothing changed.</param>
/// <param name="Message">Why it failed or was quarantined, in words for the person running the pipeline.</param>
public sealed record ProcessingResult(
    string SourceKey,
    string SubmissionId,
    ProcessingOutcome Outcome,
    string OrganisationCode,
    string ReportingPeriod,
    int RowCount,
    int ErrorCount,
    int WarningCount,
    bool AlreadyProcessed,
    string? ReceiptJsonKey = null,
    string? ReceiptHtmlKey = null,
    string? LakeKey = null,
    string? Replaced = null,
    string? Message = null)
{
    /// <summary>Nothing more will happen to this file on its own: everything but a failed attempt.</summary>
    public bool IsSettled => Outcome != ProcessingOutcome.Failed;
}
