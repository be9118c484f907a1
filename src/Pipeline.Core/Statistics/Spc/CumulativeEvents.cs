namespace Pipeline.Core.Statistics.Spc;

/// <summary>One month of a cumulative-events chart: events so far, the number expected at the reference rate, and its limits.</summary>
/// <param name="Limits95">The central 95% range of a Poisson count with mean <paramref name="Expected"/>.</param>
/// <param name="Limits998">The central 99.8% range.</param>
public sealed record CumulativeEventsPoint(int Index, long Observed, double Expected, Interval Limits95, Interval Limits998)
{
    /// <summary>Above the 99.8% range (+1), below it (−1), or within it (0).</summary>
    public int BeyondAlarm => Observed > Limits998.Upper ? 1 : Observed < Limits998.Lower ? -1 : 0;

    /// <summary>Above the 95% range (+1), below it (−1), or within it (0).</summary>
    public int BeyondWarning => Observed > Limits95.Upper ? 1 : Observed < Limits95.Lower ? -1 : 0;
}

/// <summary>
/// The rare-event chart: a group's events counted up month by month against the number expected had the group had the
/// reference group's rate (its cumulative denominator × the reference rate), with the central 95% and 99.8% ranges of a
/// Poisson count of that mean. Each month's point is a funnel-plot point (observed against expected; Spiegelhalter 2005)
/// taken cumulatively; it replaces a g- or t-chart, which needs the date of each event, where only monthly counts exist.
/// </summary>
public static class CumulativeEvents
{
    /// <param name="cumulative">Events and denominator summed from the chart's first month to each month, in time order.</param>
    /// <param name="referenceRate">The reference group's proportion (events per person, 0 to 1).</param>
    public static IReadOnlyList<CumulativeEventsPoint> Build(IReadOnlyList<(long Observed, long Exposure)> cumulative, double referenceRate)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        ArgumentOutOfRangeException.ThrowIfNegative(referenceRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(referenceRate, 1);
        return [.. cumulative.Select((c, i) =>
        {
            var expected = c.Exposure * referenceRate;
            return new CumulativeEventsPoint(i, c.Observed, expected, Range(expected, Confidence.Warning), Range(expected,
                Confidence.Alarm));
        })];
    }

    /// <summary>The central <paramref name="confidence"/> range of a Poisson count with this mean: [q(α/2), q(1 − α/2)].</summary>
    public static Interval Range(double mean, double confidence)
    {
        var alpha = 1 - confidence;
        return new Interval(PoissonQuantile(mean, alpha / 2), PoissonQuantile(mean, 1 - (alpha / 2)));
    }

    /// <summary>The smallest k with P(X ≤ k) ≥ p for X ~ Poisson(mean); P(X ≤ k) = 1 − P(k + 1, mean), the regularised gamma.</summary>
    public static long PoissonQuantile(double mean, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(mean);
        if (!(p is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability strictly between 0 and 1 is needed.");
        }

        if (mean == 0)
        {
            return 0;
        }

        // Start a little below the normal approximation and step up: a handful of gamma evaluations whatever the mean.
        var k = Math.Max(0, (long)Math.Floor(mean + (NormalDistribution.Quantile(p) * Math.Sqrt(mean)) - 3));
        while (k > 0 && Cdf(k - 1) >= p)
        {
            k--;
        }

        while (Cdf(k) < p)
        {
            k++;
        }

        return k;

        double Cdf(long count) => 1 - GammaFunctions.RegularizedLowerGamma(count + 1, mean);
    }
}
