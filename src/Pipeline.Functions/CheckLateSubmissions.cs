using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.App.Hosting;

namespace Pipeline.Functions;

/// <summary>Daily at 07:00 UTC: find trusts that have missed a submission deadline and notify.</summary>
public sealed partial class CheckLateSubmissions(ILateSubmissionCheck check, ILogger<CheckLateSubmissions> logger)
{
    /// <summary>NCRONTAB with seconds, UTC (WEBSITE_TIME_ZONE is not relied on: Flex Consumption runs on Linux).</summary>
    public const string Schedule = "0 0 7 * * *";

    [Function(nameof(CheckLateSubmissions))]
    public async Task RunAsync([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (timer.IsPastDue)
        {
            LogPastDue();
        }

        await check.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The late-submission check is running late (the host was busy or asleep)")]
    private partial void LogPastDue();
}
