namespace Pipeline.Core.Submissions.Reading;

/// <summary>The file formats a trust may submit; chosen from the file name's extension.</summary>
public enum SubmissionFormat
{
    Json,
    Csv,
    Xlsx,
}

public static class SubmissionFormats
{
    /// <summary>The format for a file name (case-insensitive extension), or null when it is not one we accept.</summary>
    public static SubmissionFormat? FromFileName(string fileName) =>
        Path.GetExtension(fileName).ToUpperInvariant() switch
        {
            ".JSON" => SubmissionFormat.Json,
            ".CSV" => SubmissionFormat.Csv,
            ".XLSX" => SubmissionFormat.Xlsx,
            _ => null,
        };

    public static string WireName(this SubmissionFormat format) => format switch
    {
        SubmissionFormat.Json => "json",
        SubmissionFormat.Csv => "csv",
        SubmissionFormat.Xlsx => "xlsx",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };
}
