using Pipeline.Core.Detection;

namespace Pipeline.Core.Alerts;

/// <summary>Which divergence rule an alert is about (docs/statistics.md §6, plus the two operational rules).</summary>
public enum AlertRule
{
    Ratio,
    Gradient,
    Spc,
    DataQuality,
    LateSubmission,
}

/// <summary>How strong the signal is; <see cref="Watch"/> &lt; <see cref="Alert"/>.</summary>
public enum AlertSeverity
{
    Watch = 1,
    Alert = 2,
}

/// <summary>The lifecycle state of an alert.</summary>
public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>Whose contacts receive an alert: the LMNS of the organisation, or the region for region-level alerts.</summary>
public enum RoutingScope
{
    Lmns,
    Region,
}

/// <summary>The snake_case wire names used in fingerprints, SQL rows and configuration (levels use detection's <see cref="Level"/>).</summary>
public static class AlertNames
{
    public static string ToWire(this AlertRule rule) => rule switch
    {
        AlertRule.Ratio => "ratio",
        AlertRule.Gradient => "gradient",
        AlertRule.Spc => "spc",
        AlertRule.DataQuality => "data_quality",
        AlertRule.LateSubmission => "late_submission",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    public static string ToWire(this AlertSeverity severity) => severity switch
    {
        AlertSeverity.Watch => "watch",
        AlertSeverity.Alert => "alert",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    public static string ToWire(this AlertStatus status) => status switch
    {
        AlertStatus.Firing => "firing",
        AlertStatus.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToWire(this RoutingScope scope) => scope switch
    {
        RoutingScope.Lmns => "lmns",
        RoutingScope.Region => "region",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    public static bool TryParseLevel(string? wire, out Level level) => TryParse(wire, out level);

    public static bool TryParseRule(string? wire, out AlertRule rule) => TryParse(wire, out rule);

    public static bool TryParseSeverity(string? wire, out AlertSeverity severity) => TryParse(wire, out severity);

    public static bool TryParseStatus(string? wire, out AlertStatus status) => TryParse(wire, out status);

    public static bool TryParseScope(string? wire, out RoutingScope scope) => TryParse(wire, out scope);

    /// <summary>The equity rules are the ones that data-quality problems and rejected submissions inhibit.</summary>
    public static bool IsEquityRule(this AlertRule rule) => rule is AlertRule.Ratio or AlertRule.Gradient or AlertRule.Spc;

    private static bool TryParse<T>(string? wire, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Wire(candidate), wire, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string Wire<T>(T value)
        where T : struct, Enum => value switch
        {
            Level l => l.ToWire(),
            AlertRule r => r.ToWire(),
            AlertSeverity s => s.ToWire(),
            AlertStatus s => s.ToWire(),
            RoutingScope s => s.ToWire(),
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };
}
