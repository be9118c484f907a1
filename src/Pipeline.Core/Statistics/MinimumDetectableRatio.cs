namespace Pipeline.Core.Statistics;

/// <summary>
/// The minimum detectable ratio (MDR) of a comparison (docs/detection.md, "Silence is not equity"): the smallest factor f ≥ 1 by which a
/// group's
/// rate could be worse than its reference's and still meet the alert rule <b>on the expected counts</b> of the same window:
/// the group's expected events a = p₀·f·n_g (higher is worse) or p₀·n_g / f (lower is worse), with p₀ = b / n_ref the
/// reference's observed rate and b its observed events, give a Katz interval at the alert level that excludes 1, and
/// f ≥ the materiality ratio, a ≥ and b ≥ the minimum events. Because the observed log ratio is centred on its expected
/// value, a true ratio equal to the MDR is alerted about half the time; a larger one more often.
/// </summary>
public static class MinimumDetectableRatio
{
    /// <summary>No ratio above this is searched for: a group that could only show a thousandfold gap can show none.</summary>
    public const double SearchLimit = 1000;

    /// <summary>
    /// The MDR, or null when no ratio up to <see cref="SearchLimit"/> (nor up to a rate of 1 for higher-is-worse) would be
    /// alerted: too few reference events, or too small a group.
    /// </summary>
    /// <param name="groupDenominator">The group's denominator over the window.</param>
    /// <param name="referenceNumerator">The reference group's events over the window.</param>
    /// <param name="referenceDenominator">The reference group's denominator over the window.</param>
    /// <param name="lowerIsWorse">True for higher-is-better indicators: "worse by f" means the rate divided by f.</param>
    /// <param name="confidence">The alert level (99.8% by default).</param>
    /// <param name="materialRatio">The alert rule's materiality (1.25): no smaller ratio alerts however many events.</param>
    /// <param name="minimumEvents">The alert rule's minimum events on each side (5).</param>
    public static double? Compute(
        double groupDenominator,
        double referenceNumerator,
        double referenceDenominator,
        bool lowerIsWorse,
        double confidence,
        double materialRatio,
        double minimumEvents)
    {
        if (groupDenominator <= 0 || referenceDenominator <= 0 || referenceNumerator <= 0 || referenceNumerator < minimumEvents)
        {
            return null;
        }

        var z = Confidence.Z(confidence);
        var p0 = referenceNumerator / referenceDenominator;
        var referenceVariance = (1 / referenceNumerator) - (1 / referenceDenominator);
        double Expected(double f) => lowerIsWorse ? p0 * groupDenominator / f : p0 * f * groupDenominator;

        // Margin of ln f over z·SE(ln RR) at the expected counts; > 0 means the interval excludes 1 on the worse side.
        double Margin(double logF)
        {
            var a = Expected(Math.Exp(logF));
            return logF - (z * Math.Sqrt(Math.Max(0, (1 / a) - (1 / groupDenominator) + referenceVariance)));
        }

        // Higher is worse: expected events grow with f, so the margin increases; f stops where the rate reaches 1.
        // Lower is worse: expected events shrink as f grows, the margin rises then falls (concave in ln f), and f stops
        // where the group would fall below the minimum events.
        var low = Math.Log(Math.Max(1, materialRatio));
        var high = Math.Log(Math.Min(SearchLimit, lowerIsWorse ? p0 * groupDenominator / minimumEvents : 1 / p0));
        if (!lowerIsWorse)
        {
            low = Math.Max(low, Math.Log(minimumEvents / (p0 * groupDenominator)));
        }

        if (!(high >= low))
        {
            return null;
        }

        if (Margin(low) > 0)
        {
            return Math.Exp(low);
        }

        if (lowerIsWorse)
        {
            // Golden-section search for the margin's peak; the smallest detectable f lies below it.
            double a = low, b = high;
            var ratio = (Math.Sqrt(5) - 1) / 2;
            for (var i = 0; i < 80; i++)
            {
                var c = b - (ratio * (b - a));
                var d = a + (ratio * (b - a));
                if (Margin(c) < Margin(d))
                {
                    a = c;
                }
                else
                {
                    b = d;
                }
            }

            high = (a + b) / 2;
        }

        if (!(Margin(high) > 0))
        {
            return null;
        }

        for (var i = 0; i < 100; i++)
        {
            var mid = (low + high) / 2;
            if (mid == high)
            {
                break; // adjacent doubles: every later step leaves high as it is (#18: most of the 100 steps were these)
            }

            var stuck = mid == low; // adjacent doubles the other way: this step decides high for good
            if (Margin(mid) > 0)
            {
                high = mid;
            }
            else
            {
                low = mid;
            }

            if (stuck)
            {
                break;
            }
        }

        return Math.Exp(high);
    }
}
