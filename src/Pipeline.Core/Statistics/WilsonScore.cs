namespace Pipeline.Core.Statistics;

/// <summary>Wilson score interval for a proportion x/n (docs/statistics.md §1; PHEindicatormethods <c>wilson_lower/upper</c>).</summary>
public static class WilsonScore
{
    /// <summary>
    /// Limits on the 0–1 scale, or null when n = 0 (no value, not zero). x = 0 gives a lower limit of exactly 0 and
    /// x = n an upper limit of exactly 1, where the formula would leave rounding dust. Confidence 1 gives [0, 1].
    /// </summary>
    public static Interval? Interval(double x, double n, double confidence)
    {
        if (n <= 0)
        {
            return null;
        }

        if (confidence >= 1)
        {
            return new Interval(0, 1);
        }

        var z = Confidence.Z(confidence);
        var z2 = z * z;
        var root = z * Math.Sqrt(z2 + (4 * x * (1 - (x / n))));
        var denominator = 2 * (n + z2);
        var lower = x <= 0 ? 0 : ((2 * x) + z2 - root) / denominator;
        var upper = x >= n ? 1 : ((2 * x) + z2 + root) / denominator;
        return new Interval(lower, upper);
    }

    /// <summary>The standard error PHE's SII simulation takes from a 95% interval: (upper − lower)/(2·1.959964).</summary>
    public static double StandardErrorFrom95(Interval interval) => (interval.Upper - interval.Lower) / (2 * 1.959964);
}
