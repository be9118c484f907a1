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
    public static Lifecycle? Replay(IReadOnlyList<AlertObservation> observations, AlertPolicy policy)
    {
        Lifecycle? current = null;
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

    /// <summary>The observations with the one for <paramref name="period"/> replaced (or removed when null), oldest first.</summary>
    public static IReadOnlyList<AlertObservation> With(IReadOnlyList<AlertObservation> observations, Period period, AlertObservation? replacement)
    {
        var list = observations.Where(o => o.Period != period).ToList();
        if (replacement is not null)
        {
            list.Add(replacement);
        }

        list.Sort((a, b) => a.Period.CompareTo(b.Period));
        return list;
    }
}
