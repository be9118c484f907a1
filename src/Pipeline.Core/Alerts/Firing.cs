using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts;

/// <summary>An alert firing at a period, as <see cref="Firing"/> defines it.</summary>
/// <param name="Severity">The severity at the latest period up to then at which its rule held.</param>
/// <param name="Since">The first period of the firing spell.</param>
public sealed record FiringAlert(AlertFingerprint Fingerprint, AlertSeverity Severity, Period Since);

/// <summary>
/// The one definition of "firing" (docs/alerts.md §2), used by <c>pipeline alerts</c>, the alert emails, the equity report
/// and the <c>alert</c> table's <c>status</c>: an alert <b>fires</b> at the first evaluated period its rule holds, and stays
/// firing until <see cref="AlertPolicy.ResolveAfter"/> (2) consecutive evaluated periods in which it does not. For the
/// equity rules the rule holds at a period when the detection row's <c>signal</c> is <c>alert</c> or <c>watch</c>
/// (<see cref="RuleHolds"/>); a row whose signals are inhibited never holds. So a signal is what one period's numbers say;
/// firing is what the alert lifecycle makes of the run of periods: one quiet month does not stop an alert firing.
/// </summary>
public static class Firing
{
    /// <summary>
    /// The equity rules (ratio, SPC, gradient; a CUSUM alert is stored as ratio) whose firing alerts the report's summary,
    /// <c>pipeline alerts</c> and docs/querying.md query 15 count alike: gradient alerts are alerts. Data-quality and
    /// submission alerts are counted apart.
    /// </summary>
    public static bool IsEquityRule(AlertRule rule) => rule is AlertRule.Ratio or AlertRule.Spc or AlertRule.Gradient;

    /// <summary>Whether a detection row's signal makes its rule hold at that period.</summary>
    public static bool RuleHolds(Signal signal) => signal is Signal.Alert or Signal.Watch;

    /// <summary>
    /// The alerts firing at <paramref name="period"/>: each alert's observations up to that period, replayed. A period after
    /// the alert's latest evaluation gives the stored status.
    /// </summary>
    public static IReadOnlyList<FiringAlert> At(IEnumerable<AlertState> alerts, Period period, AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(policy);
        var firing = new List<FiringAlert>();
        foreach (var alert in alerts)
        {
            if (alert.Checkpoint is { } checkpoint && period < checkpoint.Through)
            {
                throw new InvalidOperationException(
                    $"Alert {alert.Fingerprint} was loaded with its history up to {checkpoint.Through} summarised: " +
                    $"load it whole to ask about {period}.");
            }

            var life = AlertLifecycle.Replay(alert.Checkpoint, [.. alert.Observations.Where(o => o.Period <= period)], policy);
            if (life is { Status: AlertStatus.Firing })
            {
                firing.Add(new FiringAlert(alert.Fingerprint, life.Severity, life.FiringSince));
            }
        }

        return firing;
    }
}
