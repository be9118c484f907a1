using Azure.Storage.Blobs;
using Pipeline.Adapters.Notifications;
using Pipeline.Adapters.Storage;
using Pipeline.Tests.Shared;

namespace Pipeline.Adapters.Tests.Notifications;

/// <summary>
/// The outbox signal's rules on a real Azurite: raising only ever moves the due time earlier, clearing removes only the
/// version that was read (a producer's raise in between survives), and concurrent raisers end with the earliest time.
/// </summary>
public sealed class BlobOutboxSignalTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>
{
    private static readonly DateTimeOffset Nine = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly string _prefix = AzuriteServer.NewContainerPrefix();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Raising_keeps_the_earliest_due_time()
    {
        azurite.SkipUnlessAvailable();
        var signal = Signal();
        Assert.Null(await signal.ReadAsync(Ct));

        await signal.RaiseAsync(Nine.AddHours(1), Ct);
        await signal.RaiseAsync(Nine, Ct);
        await signal.RaiseAsync(Nine.AddHours(2), Ct);

        Assert.Equal(Nine, (await signal.ReadAsync(Ct))?.DueAt);
        Assert.True((await new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_prefix + "outbox").GetBlobClient("dispatch-due").ExistsAsync(Ct)).Value);
    }

    [Fact]
    public async Task Clearing_removes_only_the_version_read_so_a_raise_in_between_is_kept()
    {
        azurite.SkipUnlessAvailable();
        var signal = Signal();
        await signal.RaiseAsync(Nine.AddHours(1), Ct);
        var read = (await signal.ReadAsync(Ct))!;

        await signal.RaiseAsync(Nine, Ct); // a producer queued mail after the dispatcher looked

        Assert.False(await signal.TryClearAsync(read, Ct));
        var kept = (await signal.ReadAsync(Ct))!;
        Assert.Equal(Nine, kept.DueAt);
        Assert.True(await signal.TryClearAsync(kept, Ct));
        Assert.Null(await signal.ReadAsync(Ct));
    }

    [Fact]
    public async Task Concurrent_raisers_leave_the_earliest_of_their_times()
    {
        azurite.SkipUnlessAvailable();
        var times = Enumerable.Range(0, 12).Select(i => Nine.AddMinutes(37 * ((i * 5) % 12))).ToList();

        await Task.WhenAll(times.Select(t => Task.Run(() => Signal().RaiseAsync(t, Ct), Ct)));

        Assert.Equal(times.Min(), (await Signal().ReadAsync(Ct))?.DueAt);
    }

    private BlobOutboxSignal Signal() => new(new BlobObjectStore(new BlobServiceClient(azurite.ConnectionString), _prefix));
}
