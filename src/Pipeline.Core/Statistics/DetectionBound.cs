namespace Pipeline.Core.Statistics;

/// <summary>
/// The best any test could do (docs/detection.md, "The bound"): the power of the most powerful (Neyman–Pearson) test of
/// a group's total events over a period, with the reference rate known exactly, at false-alert probability α. For
/// Poisson counts the most powerful test of rate μ₀ against r·μ₀ (r &gt; 1) rejects when the total X ≥ c, with c the
/// smallest count whose tail P(X ≥ c | μ₀) ≤ α (no randomisation). No rule using the same months at the same α can
/// detect more often; a real rule also estimates the reference rate and spreads α over many groups and months.
/// </summary>
public static class DetectionBound
{
    /// <summary>P(X ≥ c) for X ~ Poisson(<paramref name="mean"/>): the regularised lower gamma P(c, mean).</summary>
    public static double PoissonUpperTail(long c, double mean) =>
        c <= 0 ? 1 : mean <= 0 ? 0 : GammaFunctions.RegularizedLowerGamma(c, mean);

    /// <summary>The most powerful test's critical count c for null mean <paramref name="nullMean"/> at level α.</summary>
    public static long CriticalCount(double nullMean, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        var c = (long)Math.Floor(nullMean);
        while (PoissonUpperTail(c, nullMean) > alpha)
        {
            c++;
        }

        while (c > 1 && PoissonUpperTail(c - 1, nullMean) <= alpha)
        {
            c--;
        }

        return c;
    }

    /// <summary>
    /// The most powerful test's power when the group's expected events at the reference rate are
    /// <paramref name="expectedPerMonth"/> a month, over <paramref name="months"/> months, with the true rate
    /// <paramref name="ratio"/> times the reference.
    /// </summary>
    public static double Power(double expectedPerMonth, int months, double ratio, double alpha)
    {
        var nullMean = expectedPerMonth * months;
        if (nullMean <= 0)
        {
            return 0;
        }

        return PoissonUpperTail(CriticalCount(nullMean, alpha), ratio * nullMean);
    }
}
