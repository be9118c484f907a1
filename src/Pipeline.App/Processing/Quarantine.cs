using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.Core.Validation;

namespace Pipeline.App.Processing;

/// <summary>
/// Settles a submission that cannot be processed for good: a copy (or, for an entry that must never be opened, a note of the
/// reason) under <c>quarantine/</c>, and the reason on its row. The original stays where it was dropped: originals are never
/// modified or deleted.
/// </summary>
public sealed partial class Quarantine(IObjectStore objects, IPipelineStore store, ILogger logger)
{
    public const string Area = "quarantine";

    /// <summary>Copies the original into quarantine and records why.</summary>
    public async Task PutAsync(SubmissionRecord row, string key, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var target = $"{Area}/{key}";
        var content = await objects.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            await objects.TryCreateAsync(target, content, cancellationToken).ConfigureAwait(false);
        }

        await store.RecordFailureAsync(row.Id, reason, target, cancellationToken).ConfigureAwait(false);
        LogQuarantined(logger, SubmitterText.ShowControls(key), SubmitterText.ShowControls(target), reason);
    }

    /// <summary>Records a refusal without opening the entry: quarantine holds a note of the reason beside where the copy would be.</summary>
    public async Task RefuseUnreadableAsync(SubmissionRecord row, string key, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        var target = $"{Area}/{key}.not-read.txt";
        using (var note = new MemoryStream(Encoding.UTF8.GetBytes(reason + Environment.NewLine)))
        {
            await objects.WriteAsync(target, note, cancellationToken).ConfigureAwait(false);
        }

        await store.RecordFailureAsync(row.Id, reason, target, cancellationToken).ConfigureAwait(false);
        LogRefused(logger, SubmitterText.ShowControls(key), reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined {Key} as {Target}: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string key, string target, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Key}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string key, string reason);
}
