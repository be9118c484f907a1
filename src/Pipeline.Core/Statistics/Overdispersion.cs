namespace Pipeline.Core.Statistics;

/// <summary>The overdispersion estimate of a set of standardised ratios O/E (Spiegelhalter 2005; FunnelPlotR).</summary>
/// <param name="Z">Each unit's z-score on the method's scale.</param>
/// <param name="Excluded">Units left out of φ by truncation (SHMI); all false for winsorising methods.</param>
/// <param name="Phi">φ = mean of the (truncated or winsorised) z²: the dispersion ratio.</param>
/// <param name="Tau2">τ² = max(0, (nφ − (n − 1)) / (Σw − Σw²/Σw)): the between-unit variance added to the limits.</param>
public sealed record OverdispersionEstimate(IReadOnlyList<double> Z, IReadOnlyList<bool> Excluded, double Phi, double Tau2, double WinsorLow, double WinsorHigh);

/// <summary>
/// Funnel limits for standardised ratios (FunnelPlotR 0.6.0 <c>calculate_limits</c> and <c>funnel_plot</c>, SR): exact
/// Poisson limits without adjustment, and the two overdispersion adjustments — SHMI (log scale, 10% truncation) and CQC
/// (square-root scale, winsorised). For regional funnel reports; the divergence rules do not use them.
/// </summary>
public static class Overdispersion
{
    /// <summary>Unadjusted limits of O/E at expected count E: target·χ²(α/2; 2E)/(2E) and target·χ²(1 − α/2; 2(E + 1))/(2E).</summary>
    public static Interval UnadjustedRatioLimits(double expected, double target, double confidence)
    {
        var alpha = 1 - confidence;
        return new Interval(
            target * GammaFunctions.ChiSquareQuantile(alpha / 2, 2 * expected) / (2 * expected),
            target * GammaFunctions.ChiSquareQuantile(1 - (alpha / 2), 2 * (expected + 1)) / (2 * expected));
    }

    /// <summary>SHMI method: z = √E·ln(O/E); units ranked in the outer <paramref name="trimBy"/> at either end are left out of φ; w = E.</summary>
    public static OverdispersionEstimate Shmi(IReadOnlyList<double> observed, IReadOnlyList<double> expected, double trimBy = 0.1)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(expected);
        var n = observed.Count;
        var z = Enumerable.Range(0, n).Select(i => Math.Sqrt(expected[i]) * Math.Log(observed[i] / expected[i])).ToArray();
        var ranks = new int[n];
        foreach (var (index, rank) in z.Select((value, index) => (value, index)).OrderBy(p => p.value).Select((p, r) => (p.index, r + 1)))
        {
            ranks[index] = rank;
        }

        var excluded = ranks.Select(r => (double)r / (n + 1) < trimBy || (double)r / (n + 1) >= 1 - trimBy).ToArray();
        var kept = Enumerable.Range(0, n).Where(i => !excluded[i]).ToList();
        var phi = kept.Average(i => z[i] * z[i]);
        var tau2 = Tau2(phi, [.. kept.Select(i => expected[i])]);
        return new OverdispersionEstimate(z, excluded, phi, tau2, double.NaN, double.NaN);
    }

    /// <summary>CQC method: Y = √(O/E), s = 1/(2√E), z = (Y − 1)/s winsorised at the type-7 <paramref name="trimBy"/> quantiles; w = 1/s².</summary>
    public static OverdispersionEstimate Cqc(IReadOnlyList<double> observed, IReadOnlyList<double> expected, double trimBy = 0.05)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(expected);
        var n = observed.Count;
        var z = Enumerable.Range(0, n).Select(i => (Math.Sqrt(observed[i] / expected[i]) - 1) * 2 * Math.Sqrt(expected[i])).ToArray();
        var low = Percentile.Type7([.. z], trimBy);
        var high = Percentile.Type7([.. z], 1 - trimBy);
        var phi = z.Average(v => Math.Clamp(v, low, high) * Math.Clamp(v, low, high));
        var tau2 = Tau2(phi, [.. expected.Select(e => 4 * e)]);
        return new OverdispersionEstimate(z, new bool[n], phi, tau2, low, high);
    }

    /// <summary>SHMI-adjusted limits at E (target 1): exp(±z·√(1/E + τ²)).</summary>
    public static Interval ShmiLimits(double expected, double tau2, double confidence)
    {
        var half = Confidence.Z(confidence) * Math.Sqrt((1 / expected) + tau2);
        return new Interval(Math.Exp(-half), Math.Exp(half));
    }

    /// <summary>CQC-adjusted limits at E: multiplier·(1 ± z·√(s² + τ²)) with s = 1/(2√E).</summary>
    public static Interval CqcLimits(double expected, double tau2, double confidence, double multiplier)
    {
        var s2 = 1 / (4 * expected);
        var half = Confidence.Z(confidence) * Math.Sqrt(s2 + tau2);
        return new Interval(multiplier * (1 - half), multiplier * (1 + half));
    }

    /// <summary>FunnelPlotR's outlier test: strictly outside [lower, upper] (a value on a limit is not an outlier).</summary>
    public static bool IsOutlier(double ratio, double multiplier, Interval limits) => ratio * multiplier < limits.Lower || ratio * multiplier > limits.Upper;

    private static double Tau2(double phi, IReadOnlyList<double> weights)
    {
        var n = weights.Count;
        var sum = weights.Sum();
        var sumSquares = weights.Sum(w => w * w);
        return Math.Max(0, ((n * phi) - (n - 1)) / (sum - (sumSquares / sum)));
    }
}
