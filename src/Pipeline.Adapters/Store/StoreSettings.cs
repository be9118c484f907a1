using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store;

/// <summary>What the store needs from configuration besides the connection.</summary>
/// <param name="DeadlineDay">Day of the month after the reporting month by whose end (UTC) a submission is on time.</param>
public sealed record StoreSettings(int DeadlineDay = 15)
{
    /// <summary>First month of the calendar <c>v_submission_status</c> covers.</summary>
    public Period CalendarFrom { get; init; } = new(2015, 1);

    /// <summary>
    /// The NHS England region(s) the deployment serves (codes such as Y62): <c>v_submission_status</c> lists their trusts only.
    /// Empty: the regions of the trusts that have sent a file.
    /// </summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>
    /// The deployment's first reporting month: <c>v_submission_status</c> lists no earlier month. Null: the earliest month any
    /// trust has an accepted file for.
    /// </summary>
    public Period? FirstPeriod { get; init; }

    /// <summary>Last month of that calendar.</summary>
    public Period CalendarTo { get; init; } = new(2040, 12);

    /// <summary>The instant the on-time window for <paramref name="period"/> closes: end of the deadline day of the next month, UTC.</summary>
    public DateTimeOffset DeadlineFor(Period period) => SubmissionCalendar.DeadlineFor(period, DeadlineDay);
}
