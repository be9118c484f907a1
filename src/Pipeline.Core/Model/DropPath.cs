namespace Pipeline.Core.Model;

/// <summary>
/// Where a trust dropped a file: <c>submissions/{organisation}/{period}/{file}</c> (the leading container/folder name is optional).
/// The folder is the trust's claim of who it is and which month it reports; the content must agree with it.
/// </summary>
public sealed record DropPath(string OrganisationCode, string ReportingPeriod, string FileName)
{
    public const string SubmissionsRoot = "submissions";

    /// <summary>Parses a relative drop path; returns null when it is not of the expected shape.</summary>
    public static DropPath? TryParse(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 4 && string.Equals(parts[^4], SubmissionsRoot, StringComparison.Ordinal))
        {
            return new DropPath(parts[^3], parts[^2], parts[^1]);
        }

        return parts.Length == 3 ? new DropPath(parts[0], parts[1], parts[2]) : null;
    }

    public override string ToString() => $"{SubmissionsRoot}/{OrganisationCode}/{ReportingPeriod}/{FileName}";
}
