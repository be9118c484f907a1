using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Pipeline.Adapters.Storage;

namespace Pipeline.Adapters.Notifications;

/// <summary>The signal's content: mail in the SQL outbox is due at <see cref="DueAt"/>; <see cref="ETag"/> identifies this version.</summary>
public sealed record OutboxSignalState(DateTimeOffset DueAt, ETag ETag);

/// <summary>
/// A small blob (<c>outbox/dispatch-due</c>) saying "the SQL outbox has mail due at this instant", so the dispatch timer
/// can find out whether there is anything to send without opening SQL (serverless Azure SQL pauses only when nobody
/// connects). Producers raise it after they may have queued mail; the dispatcher clears it (only the version it read)
/// before draining and raises it again for retries still pending. Raising only ever moves the due time earlier, with
/// ETag conditions, so concurrent producers and the dispatcher cannot lose each other's signal.
/// </summary>
public sealed class BlobOutboxSignal(BlobObjectStore objects)
{
    public const string Key = "outbox/dispatch-due";

    // Each failed attempt means another writer succeeded, so this bounds only a pathological storm of writers.
    private const int Attempts = 20;

    public async Task<OutboxSignalState?> ReadAsync(CancellationToken cancellationToken)
    {
        var blob = await objects.GetBlobAsync(Key, cancellationToken).ConfigureAwait(false);
        try
        {
            var content = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var text = content.Content.ToString().Trim();
            // An unreadable signal is treated as due now: sending early is harmless, never sending is not.
            var due = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : DateTimeOffset.MinValue;
            return new OutboxSignalState(due, content.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Makes the signal say "due at <paramref name="dueAt"/>" unless it already says earlier.</summary>
    public async Task RaiseAsync(DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        var blob = await objects.GetBlobAsync(Key, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (current is not null && current.DueAt <= dueAt)
            {
                return;
            }

            var conditions = current is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = current.ETag };
            try
            {
                await blob.UploadAsync(
                    BinaryData.FromString(dueAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
                    new BlobUploadOptions { Conditions = conditions },
                    cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < Attempts)
            {
                // Someone else changed it between our read and write: read again and decide again.
            }
        }
    }

    /// <summary>Deletes the signal if it is still the version read; false when it changed meanwhile (it then stays).</summary>
    public async Task<bool> TryClearAsync(OutboxSignalState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var blob = await objects.GetBlobAsync(Key, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await blob.DeleteIfExistsAsync(
                DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = state.ETag }, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }
}
