using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.App.Hosting;

namespace Pipeline.Functions;

/// <summary>Every five minutes: send what is waiting in the outbox. The timer is a singleton across instances.</summary>
public sealed partial class DispatchNotifications(INotificationPump pump, ILogger<DispatchNotifications> logger)
{
    /// <summary>NCRONTAB with seconds, UTC.</summary>
    public const string Schedule = "0 */5 * * * *";

    [Function(nameof(DispatchNotifications))]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue();
        }

        await pump.DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification dispatch is running late (the host was busy or asleep)")]
    private partial void LogPastDue();
}
