namespace Pipeline.Core.Statistics;

/// <summary>The PHE pair of confidence levels and their two-sided normal quantiles.</summary>
public static class Confidence
{
    /// <summary>95%: the funnel-plot warning level; watch signals and every CI shown to readers.</summary>
    public const double Warning = 0.95;

    /// <summary>99.8%: the funnel-plot alarm level; alert signals.</summary>
    public const double Alarm = 0.998;

    /// <summary>
    /// The two-sided quantile z = Φ⁻¹(1 − (1 − confidence)/2) (1.959964 for 95%, 3.090232 for 99.8%), computed exactly
    /// rather than from rounded constants so the PHE reference cases reproduce to 1.5e-8.
    /// </summary>
    public static double Z(double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must be strictly between 0 and 1.");
        }

        return NormalDistribution.Quantile(confidence + ((1 - confidence) / 2));
    }
}
