namespace Pipeline.Core.Reference;

public enum Polarity
{
    HigherIsWorse,
    HigherIsBetter,
    Neutral,
}

/// <summary>An indicator from the catalogue (reference data, not code: regions can add their own rows).</summary>
public sealed record Indicator(
    string Code,
    string Name,
    int Multiplier,
    Polarity Polarity,
    int WindowMonths,
    bool RareEvent,
    string NumeratorDefinition,
    string DenominatorDefinition,
    string Source);
