namespace Pipeline.Core.Statistics.Spc;

/// <summary>Process limits of an XmR chart: the mean, the process limits (±2.66·mean MR) and the near-limit (2σ) lines.</summary>
public sealed record XmrLimits(double Mean, double MeanMovingRange, double LowerProcessLimit, double UpperProcessLimit)
{
    /// <summary>2.66 = 3/d₂ with d₂ = 1.128 for moving ranges of two.</summary>
    public const double LimitFactor = 2.66;

    /// <summary>Moving ranges at or above 3.267·mean MR (D₄ for n = 2) are screened out before the mean MR is recomputed.</summary>
    public const double ScreeningFactor = 3.267;

    public double LowerNearLimit => Mean - (2.0 / 3.0 * LimitFactor * MeanMovingRange);

    public double UpperNearLimit => Mean + (2.0 / 3.0 * LimitFactor * MeanMovingRange);

    /// <summary>
    /// Making Data Count XmR limits from the baseline points (docs/statistics.md §5; NHSRplotthedots <c>ptd_spc</c>).
    /// Null with fewer than two points.
    /// </summary>
    /// <param name="baseline">The points limits are fixed on (the pipeline passes the first 12).</param>
    /// <param name="screenOutliers">Screen large moving ranges (package default); false reproduces the MDC Excel tool.</param>
    public static XmrLimits? Compute(IReadOnlyList<double> baseline, bool screenOutliers = true)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        if (baseline.Count < 2)
        {
            return null;
        }

        var mean = baseline.Average();
        var ranges = new double[baseline.Count - 1];
        for (var i = 1; i < baseline.Count; i++)
        {
            ranges[i - 1] = Math.Abs(baseline[i] - baseline[i - 1]);
        }

        var meanRange = ranges.Average();
        if (screenOutliers)
        {
            var cut = ScreeningFactor * meanRange;
            var kept = ranges.Where(r => r < cut).ToList();
            if (kept.Count > 0)
            {
                meanRange = kept.Average();
            }
        }

        return new XmrLimits(mean, meanRange, mean - (LimitFactor * meanRange), mean + (LimitFactor * meanRange));
    }
}
