namespace Pipeline.Core.Statistics;

/// <summary>Confidence limits for a Poisson count (PHEindicatormethods <c>byars_lower/upper</c>, <c>poisson_cis</c>).</summary>
public static class PoissonLimits
{
    /// <summary>Counts below this use exact limits; at or above it Byar's approximation (PHE convention).</summary>
    public const double ExactBelow = 10;

    /// <summary>Exact limits from the χ² distribution: [χ²(α/2; 2x)/2, χ²(1−α/2; 2x+2)/2]; x = 0 gives lower 0.</summary>
    public static Interval Exact(double x, double confidence)
    {
        var alpha = 1 - confidence;
        var lower = x <= 0 ? 0 : GammaFunctions.InverseRegularizedLowerGamma(x, alpha / 2);
        var upper = GammaFunctions.InverseRegularizedLowerGamma(x + 1, 1 - (alpha / 2));
        return new Interval(lower, upper);
    }

    /// <summary>
    /// Byar's approximation. The lower limit is null where the cube goes negative (tiny x at high confidence), as PHE
    /// returns NA there instead of a negative count.
    /// </summary>
    public static (double? Lower, double Upper) Byars(double x, double confidence)
    {
        var z = Confidence.Z(confidence);
        var lowerBase = x <= 0 ? double.NaN : 1 - (1 / (9 * x)) - (z / (3 * Math.Sqrt(x)));
        double? lower = x <= 0 || lowerBase < 0 ? null : x * Math.Pow(lowerBase, 3);
        var x1 = x + 1;
        var upper = x1 * Math.Pow(1 - (1 / (9 * x1)) + (z / (3 * Math.Sqrt(x1))), 3);
        return (lower, upper);
    }

    /// <summary>PHE's choice: exact below 10 events, Byar's at 10 or more.</summary>
    public static Interval ForCount(double x, double confidence)
    {
        if (x < ExactBelow)
        {
            return Exact(x, confidence);
        }

        var (lower, upper) = Byars(x, confidence);
        return new Interval(lower ?? 0, upper);
    }
}
