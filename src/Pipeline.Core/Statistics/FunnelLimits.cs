namespace Pipeline.Core.Statistics;

/// <summary>How a point sits against funnel limits (PHEindicatormethods <c>assign_funnel_significance</c> labels).</summary>
public enum FunnelSignificance
{
    NotSignificant,
    Low0025,
    Low0001,
    High0025,
    High0001,
}

/// <summary>
/// PHE funnel plot limits (<c>calculate_funnel_limits</c>, <c>assign_funnel_significance</c>) for proportions and for
/// observed/expected ratios; 2σ = 95%, 3σ = 99.8%. No overdispersion adjustment (the pipeline's comparisons are
/// group-vs-reference ratios, not funnels; these serve regional reports that plot organisations against an average).
/// </summary>
public static class FunnelLimits
{
    /// <summary>
    /// Proportion funnel at a population: the proportions whose Wilson interval just touches the average, which (Wilson
    /// being the inverted score test) is average ± z·√(average(1 − average)/n), clipped to [0, 1].
    /// </summary>
    public static Interval Proportion(double averageProportion, double population, double confidence)
    {
        var z = Confidence.Z(confidence);
        var half = z * Math.Sqrt(averageProportion * (1 - averageProportion) / population);
        return new Interval(Math.Max(0, averageProportion - half), Math.Min(1, averageProportion + half));
    }

    /// <summary>Lowest-first order of the PHE checks: below 99.8%, below 95%, above 99.8%, above 95%.</summary>
    public static FunnelSignificance ProportionSignificance(double numerator, double denominator, double averageProportion)
    {
        var p = numerator / denominator;
        var alarm = Proportion(averageProportion, denominator, Confidence.Alarm);
        var warning = Proportion(averageProportion, denominator, Confidence.Warning);
        return p < alarm.Lower ? FunnelSignificance.Low0001
            : p < warning.Lower ? FunnelSignificance.Low0025
            : p > alarm.Upper ? FunnelSignificance.High0001
            : p > warning.Upper ? FunnelSignificance.High0025
            : FunnelSignificance.NotSignificant;
    }

    /// <summary>O/E against 1 with exact (O &lt; 10) or Byar's limits: high when a lower limit exceeds 1, low when an upper is below.</summary>
    public static FunnelSignificance RatioSignificance(double observed, double expected)
    {
        var ratio = IndicatorValue.Rate(observed, expected, 1)!;
        return ratio.Ci998.Lower > 1 ? FunnelSignificance.High0001
            : ratio.Ci95.Lower > 1 ? FunnelSignificance.High0025
            : ratio.Ci998.Upper < 1 ? FunnelSignificance.Low0001
            : ratio.Ci95.Upper < 1 ? FunnelSignificance.Low0025
            : FunnelSignificance.NotSignificant;
    }

    /// <summary>
    /// Ratio funnel plotted against observed events O: the expected counts at which O sits on the limits — the lower
    /// limit uses the upper exact Poisson bound of O and the upper limit the lower bound (then ISR = 100·O/E, count = O/E − 1).
    /// </summary>
    public static (double LowerLimitExpected, double UpperLimitExpected) RatioExpectedEvents(double observedEvents, double confidence)
    {
        var exact = PoissonLimits.Exact(observedEvents, confidence);
        return (exact.Upper, exact.Lower);
    }
}
