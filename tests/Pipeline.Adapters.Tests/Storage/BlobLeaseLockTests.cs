using System.Diagnostics;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Pipeline.Adapters.Storage;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Storage;

/// <summary>
/// The cross-instance lock (a lease on one blob) against a real Azurite, with the shortest lease the service grants (15 s) so
/// expiry is seen within a test. Every wait is bounded.
/// </summary>
public sealed class BlobLeaseLockTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);
    private readonly string _prefix = AzuriteServer.NewContainerPrefix();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Of_concurrent_acquires_exactly_one_holds_the_lease()
    {
        azurite.SkipUnlessAvailable();
        var lockOnBlob = Lock(new BlobServiceClient(azurite.ConnectionString));

        var holds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => lockOnBlob.TryAcquireAsync(Ct)));

        Assert.Single(holds, h => h is not null);
        foreach (var hold in holds.OfType<BlobLeaseHold>())
        {
            await hold.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_held_lease_is_renewed_past_its_duration_refusing_a_second_holder_until_it_is_released()
    {
        azurite.SkipUnlessAvailable();
        var first = Lock(new BlobServiceClient(azurite.ConnectionString));
        var second = Lock(new BlobServiceClient(azurite.ConnectionString));
        var hold = await first.TryAcquireAsync(Ct);
        Assert.NotNull(hold);
        Assert.Null(await second.TryAcquireAsync(Ct));

        // Longer than one lease: only the background renewals keep it.
        await Task.Delay(Lease + TimeSpan.FromSeconds(6), Ct);
        Assert.Null(await second.TryAcquireAsync(Ct));
        Assert.False(hold.Lost.IsCancellationRequested, "renewals succeeded, so the holder still holds it");

        await hold.DisposeAsync();
        var next = await second.TryAcquireAsync(Ct);
        Assert.NotNull(next);
        await next.DisposeAsync();
    }

    [Fact]
    public async Task A_holder_cut_off_from_storage_gives_up_before_its_lease_expires_and_the_next_takes_it_after()
    {
        azurite.SkipUnlessAvailable();
        using var network = new CuttableNetwork();
        var crashed = Lock(new BlobServiceClient(azurite.ConnectionString, new BlobClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(network)),
            Retry = { MaxRetries = 0 },
        }));
        var next = Lock(new BlobServiceClient(azurite.ConnectionString));
        var hold = await crashed.TryAcquireAsync(Ct);
        Assert.NotNull(hold);
        var acquired = Stopwatch.StartNew();

        // From here the holder can neither renew nor release: what a killed process leaves behind.
        network.Cut = true;

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(Lease);
        await Task.Delay(Timeout.InfiniteTimeSpan, hold.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(limit.Token);
        Assert.True(acquired.Elapsed < Lease, $"the holder gave up after {acquired.Elapsed}, before its lease could expire");
        Assert.Null(await next.TryAcquireAsync(Ct));

        BlobLeaseHold? taken = null;
        while (taken is null && acquired.Elapsed < Lease * 3)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
            taken = await next.TryAcquireAsync(Ct);
        }

        Assert.NotNull(taken);
        Assert.True(acquired.Elapsed >= Lease - TimeSpan.FromSeconds(1), $"taken over after {acquired.Elapsed}, when the lease expired");
        await hold.DisposeAsync();
        Assert.False(taken.Lost.IsCancellationRequested, "the cut-off holder's dispose did not disturb the new holder");
        await taken.DisposeAsync();
    }

    private BlobLeaseLock Lock(BlobServiceClient service) => new(new BlobObjectStore(service, _prefix), "locks/drain", Lease);

    /// <summary>A real HTTP stack that can be cut: every request after the cut fails as an unreachable network does.</summary>
    private sealed class CuttableNetwork : DelegatingHandler
    {
        public CuttableNetwork()
            : base(new HttpClientHandler())
        {
        }

        public volatile bool Cut;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Cut ? throw new HttpRequestException("network cut") : base.SendAsync(request, cancellationToken);
    }
}
