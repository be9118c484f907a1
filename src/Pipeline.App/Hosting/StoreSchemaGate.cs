using Pipeline.Adapters.Store;

namespace Pipeline.App.Hosting;

/// <summary>
/// Brings the store's schema up to date once per process, before the first piece of work that uses SQL, whichever
/// function that is (a timer may well run before the first upload on a fresh environment). Deliberately not at worker
/// start: a Flex Consumption instance starts often, and connecting at every start would wake a paused serverless
/// database for nothing. The deployment also migrates (<c>pipeline migrate</c> in the azd hook), so this usually finds
/// nothing to do. A failed attempt is not remembered: the next call tries again.
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
