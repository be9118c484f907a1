namespace Pipeline.Core.Model;

/// <summary>An accepted submission: the typed form of a file that passed validation.</summary>
public sealed record Submission(
    string SchemaVersion,
    string OrganisationCode,
    Period ReportingPeriod,
    string? SubmittedBy,
    IReadOnlyList<Measure> Measures);
