namespace Pipeline.Core.Model;

/// <summary>One validated count pair: numerator of denominator for an indicator in one group of one breakdown.</summary>
public sealed record Measure(string IndicatorCode, Breakdown Breakdown, string GroupCode, long Numerator, long Denominator);
