namespace Pipeline.Core.Model;

/// <summary>When a month's submission is due: the one rule the store's calendar, the late-submission check and receipts share.</summary>
public static class SubmissionCalendar
{
    /// <summary>
    /// The instant the on-time window for <paramref name="period"/> closes: the end (UTC) of day <paramref name="deadlineDay"/>
    /// of the next month (the month's last day when it is shorter).
    /// </summary>
    public static DateTimeOffset DeadlineFor(Period period, int deadlineDay)
    {
        var next = period.AddMonths(1);
        var day = Math.Min(deadlineDay, next.LastDay.Day);
        return new DateTimeOffset(next.Year, next.Month, day, 0, 0, 0, TimeSpan.Zero).AddDays(1).AddTicks(-1);
    }
}
