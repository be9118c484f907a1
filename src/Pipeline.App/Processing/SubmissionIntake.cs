using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;

namespace Pipeline.App.Processing;

/// <summary>
/// The host-facing intake (blob trigger): migrates the store once per process, then processes. A failed attempt is thrown so
/// the host's at-least-once delivery retries it; the processor counts attempts and quarantines after the configured limit.
/// </summary>
public sealed class SubmissionIntake(SubmissionProcessor processor, IPipelineStore store) : ISubmissionIntake, IDisposable
{
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private bool _migrated;

    public async Task ProcessAsync(string objectKey, CancellationToken cancellationToken)
    {
        await EnsureMigratedAsync(cancellationToken).ConfigureAwait(false);
        var result = await processor.ProcessAsync(objectKey, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == ProcessingOutcome.Failed)
        {
            throw new SubmissionProcessingException($"{objectKey}: {result.Message}");
        }
    }

    public void Dispose() => _migrate.Dispose();

    private async Task EnsureMigratedAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }

        await _migrate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migrate.Release();
        }
    }
}

/// <summary>A processing attempt failed and will be retried by the host.</summary>
public sealed class SubmissionProcessingException(string message) : Exception(message);
