namespace Pipeline.Core.Statistics.Spc;

/// <summary>The Making Data Count special-cause rules, in the order they are tested (first match wins).</summary>
public enum SpecialCauseRule
{
    None = 0,

    /// <summary>A point outside the process limits.</summary>
    OutsideLimits = 1,

    /// <summary>7 points each strictly higher (or lower) than the one before.</summary>
    Trend = 2,

    /// <summary>2 of 3 consecutive points beyond a near-limit line, all 3 on the same side of the mean.</summary>
    TwoOfThree = 3,

    /// <summary>7 points in a row on the same side of the mean.</summary>
    Shift = 4,
}

/// <summary>Which way a special cause points: above or below the mean (or a rising/falling trend).</summary>
public enum SpecialCauseSide
{
    None = 0,
    High = 1,
    Low = -1,
}

/// <summary>The classification of one point of an XmR series.</summary>
public sealed record SpcPoint(int Index, double Value, SpecialCauseRule Rule, SpecialCauseSide Side)
{
    public bool IsSpecialCause => Rule != SpecialCauseRule.None;
}
