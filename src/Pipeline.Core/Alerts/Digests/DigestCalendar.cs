using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Alerts.Digests;

/// <summary>
/// Which route-months are waiting for a digest: every LMNS and region of the deployment's region(s), for every month from
/// the first in which one of its trusts sent a file, after the last month already released, up to the latest month any file
/// was sent for (or <c>through</c>, a month the daily check has found past its deadline). Pure.
/// </summary>
public static class DigestCalendar
{
    /// <param name="reference">Trusts, memberships and regions (membership in force each month).</param>
    /// <param name="regions">The deployment's regions; empty: the regions of the trusts that have an accepted file.</param>
    /// <param name="submitted">
    /// Trust-months with a processed file, and whether one was accepted (from the first month not released for some route).
    /// </param>
    /// <param name="released">The latest month already released, by route.</param>
    /// <param name="deadlineFor">A month's submission deadline.</param>
    /// <param name="through">A later month to include though no file has come for it (the daily check after its deadline).</param>
    public static IReadOnlyList<DigestMonth> Pending(
        ReferenceData reference,
        IReadOnlyCollection<string> regions,
        IReadOnlyCollection<(string Trust, Period Period, bool Accepted)> submitted,
        IReadOnlyDictionary<AlertRoute, Period> released,
        Func<Period, DateTimeOffset> deadlineFor,
        Period? through = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(released);
        ArgumentNullException.ThrowIfNull(deadlineFor);
        var starts = submitted.Select(s => s.Period).Concat(released.Values.Select(p => p.AddMonths(1))).ToList();
        var ends = submitted.Select(s => s.Period).Concat(through is { } checkedMonth ? [checkedMonth] : []).ToList();
        if (starts.Count == 0 || ends.Count == 0)
        {
            return [];
        }

        var served = regions.Count > 0
            ? regions.ToHashSet(StringComparer.Ordinal)
            : submitted.Select(a => reference.RegionOf(a.Trust, a.Period))
                .Concat(released.Keys.Where(r => r.Scope == RoutingScope.Region).Select(r => r.Code))
                .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var accepted = submitted.Where(s => s.Accepted).Select(s => (s.Trust, s.Period)).ToHashSet();
        var first = new Dictionary<AlertRoute, Period>();
        foreach (var (trust, period, _) in submitted.OrderBy(a => a.Period))
        {
            foreach (var route in RoutesOf(reference, trust, period))
            {
                first.TryAdd(route, period);
            }
        }

        var pending = new List<DigestMonth>();
        var last = ends.Max();
        for (var month = starts.Min(); month <= last; month = month.AddMonths(1))
        {
            var expected = reference.TrustsActiveIn(month)
                .Where(t => reference.RegionOf(t.Code, month) is { } region && served.Contains(region))
                .SelectMany(t => RoutesOf(reference, t.Code, month).Select(route => (route, t.Code)))
                .GroupBy(x => x.route, x => x.Code);
            foreach (var route in expected)
            {
                // A route waits from its first month with a file; one that has had a digest, from the month after it.
                var waiting = released.TryGetValue(route.Key, out var done)
                    ? month > done
                    : first.TryGetValue(route.Key, out var from) && month >= from;
                if (waiting)
                {
                    var trusts = route.ToList();
                    var trustsIn = trusts.Count(t => accepted.Contains((t, month)));
                    pending.Add(new DigestMonth(route.Key, month, trusts.Count, trustsIn, deadlineFor(month)));
                }
            }
        }

        return pending;
    }

    private static IEnumerable<AlertRoute> RoutesOf(ReferenceData reference, string trust, Period period)
    {
        if (reference.LmnsOf(trust, period) is { } lmns)
        {
            yield return new AlertRoute(RoutingScope.Lmns, lmns);
        }

        if (reference.RegionOf(trust, period) is { } region)
        {
            yield return new AlertRoute(RoutingScope.Region, region);
        }
    }
}
