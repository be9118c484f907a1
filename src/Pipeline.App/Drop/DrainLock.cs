using Pipeline.Adapters.Storage;

namespace Pipeline.App.Drop;

/// <summary>
/// One drain of the drop at a time across every process and machine that serves it (the Azure Function instances): the
/// turn to process what is waiting. Whoever holds it may process any submission in the drop, so two holders never work
/// on one submission at once.
/// </summary>
public interface IDrainLock
{
    /// <summary>Takes the turn if no one (in this process or another) holds it; null when someone does.</summary>
    Task<IDrainTurn?> TryTakeAsync(CancellationToken cancellationToken);
}

/// <summary>A held turn; disposing it gives the turn up.</summary>
public interface IDrainTurn : IAsyncDisposable
{
    /// <summary>Cancelled when the turn may have passed to someone else (the lease could not be kept): stop working.</summary>
    CancellationToken Lost { get; }
}

/// <summary>
/// The drain lock on Blob Storage: a lease on <c>locks/drain</c> in the pipeline's own account, 60 seconds, renewed while
/// held (<see cref="BlobLeaseLock"/>). A crashed holder's lease expires within a minute and the next invocation takes over.
/// </summary>
public sealed class BlobDrainLock(BlobLeaseLock lease) : IDrainLock
{
    /// <summary>The lock blob's key: the <c>locks</c> container (made by the Bicep in Azure, on first use elsewhere).</summary>
    public const string Key = "locks/drain";

    public BlobDrainLock(BlobObjectStore objects)
        : this(new BlobLeaseLock(objects, Key))
    {
    }

    public async Task<IDrainTurn?> TryTakeAsync(CancellationToken cancellationToken) =>
        await lease.TryAcquireAsync(cancellationToken).ConfigureAwait(false) is { } hold ? new Turn(hold) : null;

    private sealed class Turn(BlobLeaseHold hold) : IDrainTurn
    {
        public CancellationToken Lost => hold.Lost;

        public ValueTask DisposeAsync() => hold.DisposeAsync();
    }
}
