namespace Pipeline.Core.Statistics;

/// <summary>
/// Standardised rates for count-type indicators a region may add (not used by the proportion catalogue today):
/// PHEindicatormethods <c>calculate_ISRatio</c> and <c>calculate_dsr</c>.
/// </summary>
public static class StandardisedRates
{
    /// <summary>Indirectly standardised ratio O/E × reference value, with exact (O &lt; 10) or Byar's count limits ÷ E.</summary>
    public static IndicatorValue? IndirectRatio(double observed, double expected, double referenceValue) =>
        IndicatorValue.Rate(observed, expected, referenceValue);

    /// <summary>
    /// Directly standardised rate with Dobson limits: DSR = Σ(xᵢ·Sᵢ/nᵢ)/ΣS × multiplier, Var = Σ(Sᵢ²·xᵢ/nᵢ²)/(ΣS)², limits
    /// DSR + √(Var/O)·(Byar's limit of O − O) × multiplier. Null when the total count is below 10 (PHE suppresses it).
    /// </summary>
    public static IndicatorValue? DirectRate(IReadOnlyList<double> counts, IReadOnlyList<double> populations, IReadOnlyList<double> standardPopulations, double multiplier)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(populations);
        ArgumentNullException.ThrowIfNull(standardPopulations);
        var total = counts.Sum();
        if (total < PoissonLimits.ExactBelow)
        {
            return null;
        }

        var standardTotal = standardPopulations.Sum();
        double rate = 0, variance = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            rate += counts[i] * standardPopulations[i] / populations[i];
            variance += standardPopulations[i] * standardPopulations[i] * counts[i] / (populations[i] * populations[i]);
        }

        rate /= standardTotal;
        variance /= standardTotal * standardTotal;
        Interval Limits(double confidence)
        {
            var (lower, upper) = PoissonLimits.Byars(total, confidence);
            var scale = Math.Sqrt(variance / total);
            return new Interval((rate + (scale * ((lower ?? 0) - total))) * multiplier, (rate + (scale * (upper - total))) * multiplier);
        }

        return new IndicatorValue(rate * multiplier, Limits(Confidence.Warning), Limits(Confidence.Alarm));
    }
}
