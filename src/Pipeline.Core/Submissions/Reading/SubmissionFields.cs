namespace Pipeline.Core.Submissions.Reading;

/// <summary>The contract's field names (JSON properties and CSV/XLSX column headers are the same words).</summary>
public static class SubmissionFields
{
    public const string SchemaVersion = "schema_version";
    public const string OrganisationCode = "organisation_code";
    public const string ReportingPeriod = "reporting_period";
    public const string SubmittedBy = "submitted_by";
    public const string Measures = "measures";
    public const string Indicator = "indicator";
    public const string Breakdown = "breakdown";
    public const string Group = "group";
    public const string Numerator = "numerator";
    public const string Denominator = "denominator";

    /// <summary>The default when a file leaves <c>schema_version</c> out.</summary>
    public const string CurrentSchemaVersion = "1.0";

    /// <summary>Envelope fields, in the order columns are written.</summary>
    public static readonly IReadOnlyList<string> Envelope = [OrganisationCode, ReportingPeriod, SchemaVersion, SubmittedBy];

    /// <summary>Measure fields, in the order columns are written.</summary>
    public static readonly IReadOnlyList<string> Measure = [Indicator, Breakdown, Group, Numerator, Denominator];

    /// <summary>Columns a CSV/XLSX file must have; <c>schema_version</c> and <c>submitted_by</c> are optional.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = [OrganisationCode, ReportingPeriod, .. Measure];

    public static bool IsCount(string field) => field is Numerator or Denominator;

    /// <summary>
    /// Header matching is case- and whitespace-insensitive: " Organisation Code " and "organisation_code" are the same column.
    /// </summary>
    public static string NormaliseHeader(string header)
    {
        var parts = header.Trim().Trim('\uFEFF').ToLowerInvariant().Split([' ', '\t', '-', '\u00A0'], StringSplitOptions.RemoveEmptyEntries);
        return string.Join('_', parts);
    }
}
