namespace Pipeline.Core.Statistics;

/// <summary>A value × multiplier with its 95% and 99.8% limits; null limits where there is no value.</summary>
public sealed record IndicatorValue(double Value, Interval Ci95, Interval Ci998)
{
    /// <summary>
    /// PHE <c>phe_proportion</c>: x/n × multiplier with Wilson limits × multiplier; null when n = 0.
    /// </summary>
    public static IndicatorValue? Proportion(double numerator, double denominator, double multiplier)
    {
        if (denominator <= 0)
        {
            return null;
        }

        var ci95 = WilsonScore.Interval(numerator, denominator, Confidence.Warning)!.Value;
        var ci998 = WilsonScore.Interval(numerator, denominator, Confidence.Alarm)!.Value;
        return new IndicatorValue(numerator / denominator * multiplier, ci95.Scale(multiplier), ci998.Scale(multiplier));
    }

    /// <summary>
    /// PHE <c>phe_rate</c>: a crude rate x/n × multiplier with exact Poisson limits below 10 events and Byar's at 10
    /// or more, each divided by n and × multiplier; null when n = 0. (For count-type indicators a region may add.)
    /// </summary>
    public static IndicatorValue? Rate(double numerator, double denominator, double multiplier)
    {
        if (denominator <= 0)
        {
            return null;
        }

        var scale = multiplier / denominator;
        return new IndicatorValue(
            numerator * scale,
            PoissonLimits.ForCount(numerator, Confidence.Warning).Scale(scale),
            PoissonLimits.ForCount(numerator, Confidence.Alarm).Scale(scale));
    }
}
