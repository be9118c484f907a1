using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts;

/// <summary>An alert's lifecycle as derived from its observations.</summary>
internal sealed record Lifecycle(
    AlertStatus Status,
    AlertSeverity Severity,
    Period FiringSince,
    Period LastHeld,
    Period? ResolvedAt,
    AlertEvidence Evidence);

/// <summary>
/// Derives status, severity and dates by replaying observations in period order. Because the state is a function of the
/// observations alone, evaluating the same period again with the same signals changes nothing, and a resubmission for an
/// older period simply replaces that period's observation and replays.
/// </summary>
internal static class AlertLifecycle
{
    /// <summary>Null when the rule never held in any observed period.</summary>
    public static Lifecycle? Replay(IReadOnlyList<AlertObservation> observations, AlertPolicy policy) => Replay(null, observations, policy);

    /// <summary>
    /// The replay continued from <paramref name="start"/> (null: from nothing) over the observations after it. A checkpoint
    /// has no quiet period pending, so counting starts at zero.
    /// </summary>
    public static Lifecycle? Replay(AlertCheckpoint? start, IReadOnlyList<AlertObservation> observations, AlertPolicy policy)
    {
        Lifecycle? current = start is null ? null
            : new Lifecycle(start.Status, start.Severity, start.FiringSince, start.LastHeld, start.ResolvedAt, start.Evidence);
        var quiet = 0;
        foreach (var observation in observations)
        {
            if (observation is { Severity: { } severity, Evidence: { } evidence })
            {
                quiet = 0;
                current = current is { Status: AlertStatus.Firing }
                    ? current with { Severity = severity, LastHeld = observation.Period, Evidence = evidence }
                    : new Lifecycle(AlertStatus.Firing, severity, observation.Period, observation.Period, null, evidence);
            }
            else if (current is { Status: AlertStatus.Firing } && ++quiet >= policy.ResolveAfter)
            {
                current = current with { Status = AlertStatus.Resolved, ResolvedAt = observation.Period };
            }
        }

        return current;
    }

    /// <summary>
    /// How many alerts a run of evaluated periods opens (true = the rule held that period): one when the rule holds while no
    /// alert is firing, closed after <see cref="AlertPolicy.ResolveAfter"/> quiet periods, as <see cref="Replay"/> does.
    /// The unit in which detection quality counts false alerts (one quiet month between two alerting ones is one alert).
    /// </summary>
    public static int Episodes(IEnumerable<bool> held, AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(policy);
        var (episodes, firing, quiet) = (0, false, 0);
        foreach (var holds in held)
        {
            if (holds)
            {
                episodes += firing ? 0 : 1;
                (firing, quiet) = (true, 0);
            }
            else if (firing && ++quiet >= policy.ResolveAfter)
            {
                firing = false;
            }
        }

        return episodes;
    }

    /// <summary>The observations with the one for <paramref name="period"/> replaced (or removed when null), oldest first.</summary>
    public static IReadOnlyList<AlertObservation> With(IReadOnlyList<AlertObservation> observations, Period period, AlertObservation? replacement)
    {
        if (observations.Count == 0 || observations[^1].Period < period)
        {
            // The usual step, a month after every one observed: appended (a run over years of months made this quadratic).
            return replacement is null ? observations : [.. observations, replacement];
        }

        var list = observations.Where(o => o.Period != period).ToList();
        if (replacement is not null)
        {
            list.Add(replacement);
        }

        list.Sort((a, b) => a.Period.CompareTo(b.Period));
        return list;
    }
}
