namespace Pipeline.Core.Detection;

/// <summary>Where a comparison is made: a trust, an LMNS (sum of its trusts) or a region.</summary>
public enum Level
{
    Organisation,
    Lmns,
    Region,
}

/// <summary>The breakdowns groups are compared within: broad ethnic group, or IMD quintile.</summary>
public enum ComparisonBreakdown
{
    EthnicGroup,
    ImdQuintile,
}

/// <summary>The store's snake_case strings for the detection enums (design §5).</summary>
public static class DetectionNames
{
    public static string ToWire(this Level level) => level switch
    {
        Level.Organisation => "organisation",
        Level.Lmns => "lmns",
        Level.Region => "region",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    public static string ToWire(this ComparisonBreakdown breakdown) => breakdown switch
    {
        ComparisonBreakdown.EthnicGroup => "ethnic_group",
        ComparisonBreakdown.ImdQuintile => "imd_quintile",
        _ => throw new ArgumentOutOfRangeException(nameof(breakdown), breakdown, null),
    };

    public static string ToWire(this Direction direction) => direction switch
    {
        Direction.None => "none",
        Direction.Worse => "worse",
        Direction.Better => "better",
        Direction.Different => "different",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    public static string ToWire(this Signal signal) => signal switch
    {
        Signal.None => "none",
        Signal.Watch => "watch",
        Signal.Alert => "alert",
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, null),
    };

    public static bool TryParseLevel(string? wire, out Level level)
    {
        (var ok, level) = wire switch
        {
            "organisation" => (true, Level.Organisation),
            "lmns" => (true, Level.Lmns),
            "region" => (true, Level.Region),
            _ => (false, default),
        };
        return ok;
    }

    public static bool TryParseBreakdown(string? wire, out ComparisonBreakdown breakdown)
    {
        (var ok, breakdown) = wire switch
        {
            "ethnic_group" => (true, ComparisonBreakdown.EthnicGroup),
            "imd_quintile" => (true, ComparisonBreakdown.ImdQuintile),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The alert fingerprint's rule names (docs/alerts.md §1): <c>ratio</c>, <c>gradient</c>, <c>spc</c>.</summary>
    public static string? ToWire(this SignalRule rule) => rule switch
    {
        SignalRule.None => null,
        SignalRule.Ratio => "ratio",
        SignalRule.Spc => "spc",
        SignalRule.Gradient => "gradient",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };
}

/// <summary>The group's position against the reference, from the indicator's polarity.</summary>
public enum Direction
{
    None,
    Worse,
    Better,
    Different,
}

public enum Signal
{
    None,
    Watch,
    Alert,
}

/// <summary>The rule that produced a signal.</summary>
public enum SignalRule
{
    None,

    /// <summary>The risk ratio's CI excludes 1 in the worse direction and the ratio is material (docs/statistics.md §6).</summary>
    Ratio,

    /// <summary>A special cause in the worse direction on the monthly ln(RR) series (docs/statistics.md §5).</summary>
    Spc,

    /// <summary>The deprivation gradient's RII CI excludes 1 in the worse direction and RII ≥ 1.25.</summary>
    Gradient,
}
