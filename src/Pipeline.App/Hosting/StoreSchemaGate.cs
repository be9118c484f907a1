using Pipeline.Adapters.Store;

namespace Pipeline.App.Hosting;

/// <summary>
/// Migrates the schema once per process, before the first work that uses SQL, not at worker start: a Flex Consumption
/// instance starts often, and connecting each time would wake a paused serverless database. A failed attempt is retried.
/// </summary>
public sealed class StoreSchemaGate(IPipelineStore store) : IDisposable
{
    private readonly SemaphoreSlim _migrate = new(1, 1);
    private volatile bool _migrated;

    public async Task EnsureAsync(CancellationToken cancellationToken)
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

    public void Dispose() => _migrate.Dispose();
}

/// <summary>The late-submission check with the schema made sure of first.</summary>
internal sealed class SchemaFirstLateSubmissionCheck(StoreSchemaGate schema, ILateSubmissionCheck inner) : ILateSubmissionCheck
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await inner.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The notification pump with the schema made sure of first.</summary>
internal sealed class SchemaFirstNotificationPump(StoreSchemaGate schema, INotificationPump inner) : INotificationPump
{
    public async Task DispatchPendingAsync(CancellationToken cancellationToken)
    {
        await schema.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await inner.DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
    }
}
