using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.App.Hosting;
using Pipeline.Core.Model;

namespace Pipeline.Functions;

/// <summary>
/// A trust's file landed in the <c>submissions</c> container (Event Grid source: the only one on Flex Consumption). The
/// intake drains the drop under the blob-lease drain lock: this file and every other one waiting, as batches, or it waits
/// for the instance already draining to settle this file (docs/ingest-and-storage.md, "Azure Functions").
/// Delivery is at-least-once; the intake is idempotent on the file's content, organisation and period. An exception (this
/// file failed or was not reached) makes the host retry; after <c>extensions.blobs.poisonBlobThreshold</c> tries (host.json)
/// the blob's message goes to the <c>webjobs-blobtrigger-poison</c> queue.
/// </summary>
public sealed partial class ProcessSubmission(ISubmissionIntake intake, ILogger<ProcessSubmission> logger)
{
    /// <summary>App setting prefix of the monitored account's connection (SubmissionsStorage__blobServiceUri, ...).</summary>
    public const string Connection = "SubmissionsStorage";

    [Function(nameof(ProcessSubmission))]
    public async Task RunAsync(
        [BlobTrigger("submissions/{name}", Source = BlobTriggerSource.EventGrid, Connection = Connection)] BlobClient blob,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var key = $"{blob.BlobContainerName}/{blob.Name}";
        if (DropPath.TryParse(key) is not { } drop || !string.Equals(drop.ToString(), key, StringComparison.Ordinal))
        {
            // Not submissions/{organisation}/{period}/{file}: there is no trust folder to write a receipt into, and
            // retrying cannot help. Per-trust upload rights keep trusts inside their folder, so this is an operator's file.
            LogNotADropPath(key);
            return;
        }

        LogReceived(key, drop.OrganisationCode, drop.ReportingPeriod);
        await intake.ProcessAsync(key, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {Key} received from {Organisation} for {Period}")]
    private partial void LogReceived(string key, string organisation, string period);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored {Key}: uploads belong at submissions/<organisation>/<yyyy-MM>/<file>")]
    private partial void LogNotADropPath(string key);
}
