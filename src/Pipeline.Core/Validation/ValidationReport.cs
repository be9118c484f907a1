namespace Pipeline.Core.Validation;

public enum Severity
{
    Error,
    Warning,
}

public enum ValidationOutcome
{
    Accepted,
    AcceptedWithWarnings,
    Rejected,
}

/// <summary>
/// Where a problem is, as the submitter sees their file: a JSON pointer for JSON; line and column name for CSV;
/// sheet and A1 cell (and column name) for XLSX. Measure rows of CSV/XLSX files also carry the JSON pointer of the
/// same value in the document they map to (<c>/measures/12/numerator</c>), so a location means the same in every format.
/// </summary>
public sealed record IssueLocation(string? JsonPointer = null, long? Line = null, string? Column = null, string? Sheet = null, string? Cell = null);

/// <summary>One problem found in a submission.</summary>
/// <param name="Code">Stable code from the error catalogue (E… errors, W… warnings).</param>
/// <param name="RowKey">The measure row's key, <c>indicator/breakdown/group</c>, when the problem is in a row.</param>
public sealed record ValidationIssue(
    string Code,
    Severity Severity,
    string Message,
    string Fix,
    IssueLocation Location,
    string? Value = null,
    string? RowKey = null);

/// <summary>All problems of one code: the total count and up to the configured number of examples.</summary>
public sealed record IssueGroup(string Code, Severity Severity, string Title, int Count, IReadOnlyList<ValidationIssue> Examples)
{
    public bool Truncated => Count > Examples.Count;

    /// <summary>How many issues of this code are counted but not listed ("truncated: N more").</summary>
    public int Omitted => Count - Examples.Count;
}

/// <summary>The verdict on one file, in the form written as a receipt (JSON and HTML) and stored in SQL.</summary>
public sealed record ValidationReport(
    string FileName,
    string Format,
    string? OrganisationCode,
    string? ReportingPeriod,
    string? SubmittedBy,
    long SizeBytes,
    int RowCount,
    ValidationOutcome Outcome,
    int ErrorCount,
    int WarningCount,
    IReadOnlyList<IssueGroup> Groups)
{
    public bool IsAccepted => Outcome != ValidationOutcome.Rejected;
}
