namespace Pipeline.App.Hosting;

/// <summary>What a host's timer calls to send the notifications waiting in the outbox (with retries for failed ones).</summary>
public interface INotificationPump
{
    Task DispatchPendingAsync(CancellationToken cancellationToken);
}
