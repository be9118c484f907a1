namespace Pipeline.Core.Statistics;

/// <summary>
/// The risk ratio of a group (a of nA) against a reference (b of nB) with log (Katz) limits (docs/statistics.md §2):
/// SE(ln RR) = √(1/a − 1/nA + 1/b − 1/nB), CI = exp(ln RR ± z·SE).
/// </summary>
/// <param name="Corrected">True when a or b was 0 and the Haldane–Anscombe 0.5 was added to both numerators and both denominators.</param>
public sealed record RiskRatio(double Ratio, double StandardErrorOfLog, Interval Ci95, Interval Ci998, bool Corrected)
{
    /// <summary>Null when either denominator is 0: there is nothing to compare.</summary>
    public static RiskRatio? Compute(double a, double nA, double b, double nB)
    {
        if (nA <= 0 || nB <= 0)
        {
            return null;
        }

        var corrected = Correct(ref a, ref nA, ref b, ref nB);
        var ratio = a / nA / (b / nB);
        var se = Math.Sqrt((1 / a) - (1 / nA) + (1 / b) - (1 / nB));
        return new RiskRatio(ratio, se, LogInterval(ratio, se, Confidence.Warning), LogInterval(ratio, se, Confidence.Alarm), corrected);
    }

    /// <summary>
    /// <see cref="Compute"/>'s ratio alone, the same number, without its limits: an SPC chart of monthly log ratios needs only
    /// the ratio of every month, and a recompute charts every month of every series (#18).
    /// </summary>
    public static double? PointEstimate(double a, double nA, double b, double nB)
    {
        if (nA <= 0 || nB <= 0)
        {
            return null;
        }

        _ = Correct(ref a, ref nA, ref b, ref nB);
        return a / nA / (b / nB);
    }

    /// <summary>Haldane–Anscombe: 0.5 added to both numerators and both denominators when either numerator is 0.</summary>
    private static bool Correct(ref double a, ref double nA, ref double b, ref double nB)
    {
        if (!(a <= 0 || b <= 0))
        {
            return false;
        }

        a += 0.5;
        b += 0.5;
        nA += 0.5;
        nB += 0.5;
        return true;
    }

    /// <summary>exp(ln ratio ± z·se): the log-method interval shared by risk and rate ratios.</summary>
    public static Interval LogInterval(double ratio, double standardErrorOfLog, double confidence)
    {
        var z = Confidence.Z(confidence);
        var log = Math.Log(ratio);
        return new Interval(Math.Exp(log - (z * standardErrorOfLog)), Math.Exp(log + (z * standardErrorOfLog)));
    }
}

/// <summary>A Poisson rate ratio (events over exposure) with log-method limits: SE(ln IRR) = √(1/O₁ + 1/O₂).</summary>
public sealed record RateRatio(double Ratio, double StandardErrorOfLog, Interval Ci95, Interval Ci998)
{
    public static RateRatio? Compute(double events1, double exposure1, double events2, double exposure2)
    {
        if (events1 <= 0 || events2 <= 0 || exposure1 <= 0 || exposure2 <= 0)
        {
            return null;
        }

        var ratio = events1 / exposure1 / (events2 / exposure2);
        var se = StandardErrorOfLogFor(events1, events2);
        return new RateRatio(ratio, se, RiskRatio.LogInterval(ratio, se, Confidence.Warning), RiskRatio.LogInterval(ratio, se, Confidence.Alarm));
    }

    public static double StandardErrorOfLogFor(double events1, double events2) => Math.Sqrt((1 / events1) + (1 / events2));
}
