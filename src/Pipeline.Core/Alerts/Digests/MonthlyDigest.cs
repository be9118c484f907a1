using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts.Digests;

/// <summary>
/// What one route's monthly digest says: the notices its recipients have not heard (new, escalated, eased, resolved,
/// reminders), the alerts still firing that they already know of, and the states once told. <see cref="Silenced"/> lists
/// notices an active silence held back.
/// </summary>
public sealed record DigestContent(
    IReadOnlyList<AlertNotice> Notices,
    IReadOnlyList<AlertState> Continuing,
    IReadOnlyList<AlertState> Told,
    IReadOnlyList<SilencedNotice> Silenced);

/// <summary>
/// Composes a digest from the alert states alone (docs/alerts.md §4): between digests the state machine keeps what the
/// recipients were last told, so the digest is the difference between each alert and that, however many files and
/// re-evaluations happened in between. An alert that fired and resolved between two digests was never told and sends
/// nothing. Pure.
/// </summary>
public static class MonthlyDigest
{
    public static DigestContent Compose(
        IEnumerable<AlertState> routeStates, IReadOnlyList<Silence> silences, DateTimeOffset now, AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(routeStates);
        ArgumentNullException.ThrowIfNull(silences);
        ArgumentNullException.ThrowIfNull(policy);
        var notices = new List<AlertNotice>();
        var continuing = new List<AlertState>();
        var told = new List<AlertState>();
        var silenced = new List<SilencedNotice>();
        foreach (var state in routeStates.OrderBy(s => s.Fingerprint.ToString(), StringComparer.Ordinal))
        {
            var rules = policy.For(state.Fingerprint);
            var silence = silences.FirstOrDefault(s => s.Silences(state.Fingerprint, now));
            if (AlertEngine.PendingNotice(state, rules) is { } notice)
            {
                if (silence is not null)
                {
                    silenced.Add(new SilencedNotice(notice, silence.Id));
                    continue;
                }

                var after = AlertEngine.Told(state, now);
                told.Add(after);
                notices.Add(notice with { Alert = after });
            }
            else if (state is { Status: AlertStatus.Firing, NotifiedStatus: AlertStatus.Firing } && silence is null
                     && rules.Emails(state.Fingerprint, state.Severity))
            {
                continuing.Add(state);
            }
        }

        return new DigestContent(
            [.. notices.OrderBy(n => n.Kind).ThenBy(n => n.Alert.Fingerprint.ToString(), StringComparer.Ordinal)],
            continuing,
            told,
            silenced);
    }
}

/// <summary>When a notice goes out on its own rather than in its route's next digest.</summary>
public static class NoticeTiming
{
    /// <summary>
    /// What cannot wait for a digest (docs/alerts.md §4): a data-quality failure that withholds comparisons, or a rejected or
    /// missing submission, when it is raised. Its resolution, and every equity change, waits for the digest.
    /// </summary>
    public static bool CannotWait(AlertNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return notice.Kind is NoticeKind.New or NoticeKind.Escalated
               && notice.Alert.Fingerprint.Rule is AlertRule.DataQuality or AlertRule.LateSubmission;
    }

    /// <summary>
    /// Sent at once when it cannot wait and the digest of the month it started in has already gone out (a late or corrected
    /// file, a problem found after the deadline); otherwise that digest, due within days, carries it.
    /// </summary>
    public static bool SendsNow(AlertNotice notice, Func<AlertRoute, Period, bool> digestReleased)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(digestReleased);
        return CannotWait(notice) && digestReleased(notice.Alert.Route, notice.Alert.FiringSince);
    }
}
