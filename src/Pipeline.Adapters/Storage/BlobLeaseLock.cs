using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace Pipeline.Adapters.Storage;

/// <summary>
/// A lock between machines (Function instances): a lease on one small, empty blob, e.g. <c>locks/drain</c>. The lease is
/// finite and renewed in the background while it is held, so a holder that dies (or loses the network) stops renewing and
/// its lease simply expires; a holder that finishes releases it at once. Blob leases are exclusive per blob: a second
/// acquire, from this process or another, is refused until the lease is released or has expired.
/// </summary>
public sealed class BlobLeaseLock
{
    /// <summary>The longest finite lease Blob Storage grants.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(60);

    private readonly BlobObjectStore _objects;
    private readonly string _key;
    private volatile bool _blobKnown;

    /// <param name="objects">The account (and container prefix) the lock blob lives in.</param>
    /// <param name="key">The lock blob's key, <c>&lt;container&gt;/&lt;blob&gt;</c>.</param>
    /// <param name="leaseDuration">15 to 60 seconds (the service's finite range); 60 by default.</param>
    public BlobLeaseLock(BlobObjectStore objects, string key, TimeSpan? leaseDuration = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ObjectKeys.Validate(key);
        var duration = leaseDuration ?? DefaultLeaseDuration;
        if (duration < TimeSpan.FromSeconds(15) || duration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(leaseDuration), duration, "A finite blob lease lasts 15 to 60 seconds.");
        }

        (_objects, _key, LeaseDuration) = (objects, key, duration);
    }

    public TimeSpan LeaseDuration { get; }

    /// <summary>Where the lock lives, for people.</summary>
    public string Describe() => _objects.Describe(_key);

    /// <summary>Takes the lease if no one holds it; null when a live lease (another holder's) is on the blob.</summary>
    public async Task<BlobLeaseHold?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var blob = await _objects.GetBlobAsync(_key, cancellationToken).ConfigureAwait(false);
        if (!_blobKnown)
        {
            await CreateIfAbsentAsync(blob, cancellationToken).ConfigureAwait(false);
            _blobKnown = true;
        }

        // A fresh lease id per acquire: two holds in one process exclude each other as two processes do.
        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // LeaseAlreadyPresent: someone else holds it.
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The lock blob was deleted (by an operator) since this process made sure of it: make it again next time.
            _blobKnown = false;
            throw;
        }

        return new BlobLeaseHold(lease, LeaseDuration);
    }

    private static async Task CreateIfAbsentAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            using var empty = new MemoryStream([]);
            var onlyIfAbsent = new Azure.Storage.Blobs.Models.BlobUploadOptions
            {
                Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = ETag.All },
            };
            await blob.UploadAsync(empty, onlyIfAbsent, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already there (and perhaps leased by its holder): exactly what is wanted.
        }
    }
}

/// <summary>
/// A held lease, renewed every third of its duration until disposed, then released. <see cref="Lost"/> is cancelled when
/// the holder can no longer be sure it holds the lease (the lease was taken over, or two thirds of the duration passed
/// without a confirmed renewal, however long a request hangs), so work under it stops before another can take the lease.
/// </summary>
public sealed class BlobLeaseHold : IAsyncDisposable
{
    private readonly BlobLeaseClient _lease;
    private readonly TimeSpan _duration;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private int _disposed;

    internal BlobLeaseHold(BlobLeaseClient lease, TimeSpan duration)
    {
        (_lease, _duration) = (lease, duration);
        _lost.CancelAfter(SafeFor);
        _renewing = Task.Run(RenewAsync);
    }

    // How long after the last confirmation (acquire or renewal) the lease is trusted: two thirds of it, so a third is left
    // for the work to notice and stop before the lease can expire and pass to someone else.
    private TimeSpan SafeFor => _duration * 2 / 3;

    /// <summary>Cancelled once this holder may no longer hold the lease.</summary>
    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            // Bounded: an unreachable service must not hold up the caller, and the lease expires on its own anyway.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _lease.ReleaseAsync(cancellationToken: limit.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException or IOException)
            {
                // Not ours any more, or the service is unreachable: the lease expires on its own.
            }
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync()
    {
        var every = _duration / 3;
        while (!_stop.IsCancellationRequested && !_lost.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _stop.Token).ConfigureAwait(false);
                // A renewal that hangs is a missed one; the timer on Lost runs on regardless of the network.
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _lost.Token);
                attempt.CancelAfter(every);
                await _lease.RenewAsync(cancellationToken: attempt.Token).ConfigureAwait(false);
                // Re-arms the timer; once Lost has fired it stays fired.
                _lost.CancelAfter(SafeFor);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // The lease expired and was taken (or broken): it is someone else's now.
                await _lost.CancelAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or OperationCanceledException or IOException)
            {
                // Unreachable for now (the SDK has already retried): try again in a third, unless the timer on Lost fires first.
            }
        }
    }
}
