using Pipeline.Core.Alerts.Digests;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;

namespace Pipeline.Core.Alerts.Routing;

/// <summary>
/// Everything one recipient group hears in one email: its monthly digest (<see cref="Digest"/> set), or the notices of one
/// processing run that could not wait (docs/alerts.md §4). <see cref="Withheld"/> lists equity signals inhibited for the
/// organisations of this route, with why.
/// </summary>
public sealed record AlertEmailGroup(
    string NotificationId,
    AlertRoute Route,
    Period Period,
    IReadOnlyList<Recipient> Recipients,
    IReadOnlyList<AlertNotice> Notices,
    IReadOnlyList<WithheldSignal> Withheld)
{
    /// <summary>Set when this is a route's monthly digest (docs/alerts.md §4) rather than a notice that could not wait.</summary>
    public DigestFacts? Digest { get; init; }
}

/// <summary>
/// A digest's month, how complete its data were when it went out, and the alerts still firing that its recipients know of.
/// </summary>
public sealed record DigestFacts(DigestMonth Month, IReadOnlyList<AlertState> Continuing);

public sealed record WithheldSignal(AlertSignal Signal, Inhibition Because);

/// <summary>The groups to email, and the notices nobody is configured to receive (to be logged loudly).</summary>
public sealed record AlertRouting(IReadOnlyList<AlertEmailGroup> Groups, IReadOnlyList<AlertNotice> Unroutable);

public static class AlertGrouping
{
    /// <summary>Groups a decision's notices by route; a route with notices becomes one email to all of its contacts.</summary>
    public static AlertRouting Group(AlertDecision decision, ContactDirectory contacts)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(contacts);
        var groups = new List<AlertEmailGroup>();
        var unroutable = new List<AlertNotice>();
        foreach (var byRoute in decision.Notices.GroupBy(n => n.Alert.Route).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            var recipients = contacts.RecipientsFor(byRoute.Key);
            if (recipients.Count == 0)
            {
                unroutable.AddRange(byRoute);
                continue;
            }

            var notices = byRoute.OrderBy(n => n.Kind).ThenBy(n => n.Alert.Fingerprint.ToString(), StringComparer.Ordinal).ToList();
            var withheld = decision.Inhibited
                .Where(s => s.Route == byRoute.Key)
                .Select(s => new WithheldSignal(s, decision.Inhibitions.First(i => i.Inhibits(s.Fingerprint))))
                .ToList();
            groups.Add(new AlertEmailGroup(IdFor(byRoute.Key, decision.Period, notices), byRoute.Key, decision.Period, recipients, notices, withheld));
        }

        return new AlertRouting(groups, unroutable);
    }

    /// <summary>
    /// A route's digest for a month: one email to all its contacts. Its id depends only on the route and month, so a digest
    /// is queued at most once whatever re-runs.
    /// </summary>
    public static AlertEmailGroup Digest(DigestMonth month, DigestContent content, IReadOnlyList<Recipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(month);
        ArgumentNullException.ThrowIfNull(content);
        var id = NotificationId.From(NotificationKind.Alerts, ["digest", month.Route.ToString(), month.Period.ToString()]);
        return new AlertEmailGroup(id, month.Route, month.Period, recipients, content.Notices, [])
        {
            Digest = new DigestFacts(month, content.Continuing),
        };
    }

    /// <summary>
    /// The id depends only on what the run tells (route, period, each notice and the alert's notice count), so re-running
    /// a run whose writes were lost maps to the same row, while a later notice that happens to say the same thing (fired,
    /// withdrawn, fired again) is a new email.
    /// </summary>
    private static string IdFor(AlertRoute route, Period period, IEnumerable<AlertNotice> notices) =>
        NotificationId.From(NotificationKind.Alerts,
            new[] { route.ToString(), period.ToString() }.Concat(notices.Select(n =>
                $"{n.Alert.Fingerprint}|{n.Kind}|{n.Alert.Status.ToWire()}|{n.Alert.Severity.ToWire()}|{n.Alert.LastEvaluated}|{n.Alert.NotificationCount}")));
}
