using Pipeline.App.Hosting;

namespace Pipeline.App.Processing;

/// <summary>
/// The host-facing intake (blob trigger): makes sure of the schema (once per process), then processes. A failed attempt is
/// thrown so the host's at-least-once delivery retries it; the processor counts attempts and quarantines after the
/// configured limit.
/// </summary>
public sealed class SubmissionIntake(SubmissionProcessor processor, StoreSchemaGate schema) : ISubmissionIntake
{
    public async Task ProcessAsync(string objectKey, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var result = await processor.ProcessAsync(objectKey, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == ProcessingOutcome.Failed)
        {
            throw new SubmissionProcessingException($"{objectKey}: {result.Message}");
        }
    }
}

/// <summary>A processing attempt failed and will be retried by the host.</summary>
public sealed class SubmissionProcessingException(string message) : Exception(message);
