using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Submissions;

/// <summary>
/// The one reading of where a file was dropped: a key <c>submissions/{organisation}/{yyyy-MM}/{file}</c> names a trust and a
/// month, and anything else is a placement problem whose text tells the trust how to fix it. Pure: the processor, the file
/// intake and the blob trigger all place a file through here.
/// </summary>
public static class DropPlacement
{
    /// <summary>The drop path <paramref name="key"/> names (empty parts where it names none) and, if it cannot be processed, why.</summary>
    public static PlacedFile Of(string key, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(reference);
        var parts = key.Split('/');
        var loose = new DropPath(parts.Length > 1 ? parts[1] : string.Empty, parts.Length > 2 ? parts[2] : string.Empty, parts[^1]);
        if (SubmitterText.FirstControl(key) is var (control, index))
        {
            return new PlacedFile(loose,
                $"the path '{SubmitterText.Echo(key)}' contains the control character U+{(int)control:X4} (character {index + 1}): " +
                "rename the file (and its folders) using printable characters only, then drop it again.");
        }

        var root = DropPath.SubmissionsRoot;
        if (parts.Length != 4 || DropPath.TryParse(key) is not { } drop || drop.ToString() != key)
        {
            return new PlacedFile(loose,
                $"'{key}' is not of the form {root}/{{organisation}}/{{yyyy-MM}}/{{file}}: drop the file in its trust's folder, in the month's sub-folder.");
        }

        if (reference.FindTrust(drop.OrganisationCode) is null)
        {
            return new PlacedFile(drop,
                $"folder '{drop.OrganisationCode}' is not a trust in the organisation reference: drop the file under its trust's ODS code " +
                $"(for example {root}/R0A/{drop.ReportingPeriod}/).");
        }

        return Period.TryParse(drop.ReportingPeriod, out _)
            ? new PlacedFile(drop, null)
            : new PlacedFile(drop,
                $"folder '{drop.ReportingPeriod}' is not a reporting month: drop the file under {root}/{drop.OrganisationCode}/{{yyyy-MM}}/ (for example 2026-10).");
    }

    /// <summary>
    /// The trust and month a local file's two parent folders name (<c>…/R0A/2026-10/file.csv</c>), or null when they do not
    /// name a known trust and a month. The file's own name is not judged here: the processor judges it (and quarantines a
    /// name it cannot take) once the file is in.
    /// </summary>
    public static DropPath? FromFolders(string organisationFolder, string periodFolder, string fileName, ReferenceData reference) =>
        Of($"{DropPath.SubmissionsRoot}/{organisationFolder}/{periodFolder}/file", reference) is { Problem: null }
            ? new DropPath(organisationFolder, periodFolder, fileName)
            : null;
}

/// <summary>Where a key places a file, and the problem (with its fix) when it cannot be processed as a submission.</summary>
public sealed record PlacedFile(DropPath Drop, string? Problem);
