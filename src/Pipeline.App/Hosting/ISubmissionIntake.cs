namespace Pipeline.App.Hosting;

/// <summary>
/// What a host calls when a file lands in the drop: the Azure blob trigger, <c>pipeline watch</c> and <c>pipeline ingest</c>
/// all end here, so every host runs the same processing. Delivery is at-least-once; processing must be idempotent.
/// </summary>
public interface ISubmissionIntake
{
    /// <param name="objectKey">The dropped file's object key, <c>submissions/{organisation}/{period}/{file}</c>.</param>
    /// <param name="cancellationToken">Cancelled when the host shuts down.</param>
    Task ProcessAsync(string objectKey, CancellationToken cancellationToken);
}
