using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts.Digests;

/// <summary>
/// One route's reporting month whose digest has not gone out yet: how many of the trusts expected to submit for it have an
/// accepted file, and the month's submission deadline.
/// </summary>
public sealed record DigestMonth(AlertRoute Route, Period Period, int ExpectedTrusts, int TrustsIn, DateTimeOffset Deadline)
{
    /// <summary>Every expected trust's file is in.</summary>
    public bool Complete => ExpectedTrusts > 0 && TrustsIn >= ExpectedTrusts;

    /// <summary>Due when every expected file is in or the deadline has passed, whichever comes first (docs/alerts.md §4).</summary>
    public bool DueAt(DateTimeOffset now) => Complete || now > Deadline;
}

/// <summary>
/// A month released: <see cref="Sends"/> for the latest due month of its route, which carries everything the recipients have
/// not heard yet; earlier due months of the same release are folded into it (a backfill or a long outage then sends one
/// digest per route, not one per month).
/// </summary>
public sealed record DigestRelease(DigestMonth Month, bool Sends);

public static class DigestSchedule
{
    /// <summary>
    /// The months to release now: for each route, the leading run of its pending months (oldest first) that are due. A month
    /// that is not due yet holds back the later ones, so digests go out in month order and never skip a month's news.
    /// </summary>
    public static IReadOnlyList<DigestRelease> Due(IEnumerable<DigestMonth> pending, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var releases = new List<DigestRelease>();
        foreach (var route in pending.GroupBy(m => m.Route).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            var due = route.OrderBy(m => m.Period).TakeWhile(m => m.DueAt(now)).ToList();
            releases.AddRange(due.Select((m, i) => new DigestRelease(m, Sends: i == due.Count - 1)));
        }

        return releases;
    }
}
