using Pipeline.Adapters.Storage;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions;
using Pipeline.Core.Validation;

namespace Pipeline.App.Processing;

/// <summary>
/// Brings a file given by path (<c>pipeline ingest</c>, the drop watcher) into the object store, untouched, at
/// <c>submissions/{org}/{period}/{file}</c>, where the processor takes it from. The trust and month come from the file's two
/// parent folders when they name a trust and a month, else from its content.
/// </summary>
public sealed class LocalFileCopy(IObjectStore objects, SubmissionValidator validator, ReferenceData reference)
{
    /// <summary>Copies the file in (or finds the same bytes already there) and returns its key.</summary>
    public async Task<string> CopyInAsync(string path, CancellationToken cancellationToken)
    {
        var file = new FileInfo(path);
        if (FileKind.NotRegular(path) is { } what)
        {
            throw new NotRegularFileException(path, what);
        }

        if (!file.Exists)
        {
            throw new FileNotFoundException($"{SubmitterText.Echo(path)} does not exist.", path);
        }

        var drop = PlaceByFolders(file) ?? await PlaceByContentAsync(file, cancellationToken).ConfigureAwait(false)
            ?? throw new SubmissionPlacementException(
                $"{path}: cannot tell which trust and month this file is for. Put it in a folder {{ODS code}}/{{yyyy-MM}}/ " +
                "(for example R0A/2026-10/) or give it valid organisation_code and reporting_period values.");
        return await CopyAsync(file, $"{DropPath.SubmissionsRoot}/{drop.OrganisationCode}/{drop.ReportingPeriod}/", cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> CopyAsync(FileInfo file, string folder, CancellationToken cancellationToken)
    {
        var key = folder + file.Name;
        if (await TryCopyAsync(file, key, cancellationToken).ConfigureAwait(false))
        {
            return key;
        }

        // Something is already stored under that name: the same bytes (a redelivery) reuse it; different bytes get their own name.
        var local = await HashFileAsync(file, cancellationToken).ConfigureAwait(false);
        var stored = await objects.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stored.ConfigureAwait(false))
        {
            if ((await SubmissionIdentity.HashAsync(stored, cancellationToken).ConfigureAwait(false)).Sha256 == local)
            {
                return key;
            }
        }

        var alternative = folder + Path.GetFileNameWithoutExtension(file.Name) + "." + local[..12] + file.Extension;
        await TryCopyAsync(file, alternative, cancellationToken).ConfigureAwait(false);
        return alternative;
    }

    private async Task<bool> TryCopyAsync(FileInfo file, string key, CancellationToken cancellationToken)
    {
        var stream = file.OpenRead();
        await using (stream.ConfigureAwait(false))
        {
            return await objects.TryCreateAsync(key, stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> HashFileAsync(FileInfo file, CancellationToken cancellationToken)
    {
        var stream = file.OpenRead();
        await using (stream.ConfigureAwait(false))
        {
            return (await SubmissionIdentity.HashAsync(stream, cancellationToken).ConfigureAwait(false)).Sha256;
        }
    }

    private DropPath? PlaceByFolders(FileInfo file) =>
        file.Directory is { Parent: { } organisationFolder } periodFolder
            ? DropPlacement.FromFolders(organisationFolder.Name, periodFolder.Name, file.Name, reference)
            : null;

    private async Task<DropPath?> PlaceByContentAsync(FileInfo file, CancellationToken cancellationToken)
    {
        ValidationResult peek;
        var stream = file.OpenRead();
        await using (stream.ConfigureAwait(false))
        {
            peek = await validator.ValidateAsync(stream, new SubmissionInput(file.Name, file.Length, null), cancellationToken).ConfigureAwait(false);
        }

        return peek.Report is { OrganisationCode: { } organisation, ReportingPeriod: { } period }
            ? DropPlacement.FromFolders(organisation, period, file.Name, reference)
            : null;
    }
}

/// <summary>A file given by path whose trust and month cannot be worked out.</summary>
public sealed class SubmissionPlacementException(string message) : Exception(message);
