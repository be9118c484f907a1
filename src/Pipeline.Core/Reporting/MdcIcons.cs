using Pipeline.Core.Reference;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Reporting;

/// <summary>
/// The Making Data Count variation icons (NHS England, "Making Data Count: getting started", 2019; NHSRplotthedots
/// <c>ptd_create_ggplot</c> icons): what the latest point of a chart says. A special cause is an improvement or a concern
/// by the indicator's polarity; a neutral indicator's special cause only "differs".
/// </summary>
public enum VariationIcon
{
    CommonCause,
    ImprovementHigh,
    ImprovementLow,
    ConcernHigh,
    ConcernLow,
    NeutralHigh,
    NeutralLow,
}

/// <summary>The Making Data Count assurance icons: can the process be relied on to meet the target? None: no target applies.</summary>
public enum AssuranceIcon
{
    None,
    ConsistentlyPass,
    ConsistentlyFail,
    HitAndMiss,
}

public static class MdcIcons
{
    /// <summary>The variation icon of the latest point: its special-cause rule and side, read through the polarity.</summary>
    public static VariationIcon Variation(SpecialCauseRule rule, SpecialCauseSide side, Polarity polarity)
    {
        if (rule == SpecialCauseRule.None || side == SpecialCauseSide.None)
        {
            return VariationIcon.CommonCause;
        }

        var high = side == SpecialCauseSide.High;
        return polarity switch
        {
            Polarity.HigherIsWorse => high ? VariationIcon.ConcernHigh : VariationIcon.ImprovementLow,
            Polarity.HigherIsBetter => high ? VariationIcon.ImprovementHigh : VariationIcon.ConcernLow,
            _ => high ? VariationIcon.NeutralHigh : VariationIcon.NeutralLow,
        };
    }

    /// <summary>
    /// The assurance icon against a target, from the latest point's process limits (as NHSRplotthedots does): a target
    /// outside the limits is consistently passed or failed, one inside them is hit and miss. A neutral indicator has no pass
    /// or fail, so no icon.
    /// </summary>
    public static AssuranceIcon Assurance(double lowerLimit, double upperLimit, double target, Polarity polarity) =>
        polarity == Polarity.Neutral ? AssuranceIcon.None
            : XmrAssurance.Classify(lowerLimit, upperLimit, target, polarity == Polarity.HigherIsBetter) switch
            {
                Statistics.Spc.Assurance.ConsistentPass => AssuranceIcon.ConsistentlyPass,
                Statistics.Spc.Assurance.ConsistentFail => AssuranceIcon.ConsistentlyFail,
                _ => AssuranceIcon.HitAndMiss,
            };

    /// <summary>Improvement, concern, neutral or common cause: the class the report colours by.</summary>
    public static string Tone(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh or VariationIcon.ImprovementLow => "improvement",
        VariationIcon.ConcernHigh or VariationIcon.ConcernLow => "concern",
        VariationIcon.NeutralHigh or VariationIcon.NeutralLow => "neutral",
        _ => "common",
    };

    /// <summary>The icon's text alternative, in plain words.</summary>
    public static string Describe(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh => "Special cause variation, improvement: the latest month is unusually high, and higher is better",
        VariationIcon.ImprovementLow => "Special cause variation, improvement: the latest month is unusually low, and lower is better",
        VariationIcon.ConcernHigh => "Special cause variation, concern: the latest month is unusually high, and higher is worse",
        VariationIcon.ConcernLow => "Special cause variation, concern: the latest month is unusually low, and lower is worse",
        VariationIcon.NeutralHigh => "Special cause variation: the latest month differs, unusually high (neither better nor worse)",
        VariationIcon.NeutralLow => "Special cause variation: the latest month differs, unusually low (neither better nor worse)",
        _ => "Common cause variation: no unusual pattern in the latest month",
    };

    /// <summary>The assurance icon's text alternative; <paramref name="target"/> names what is compared against.</summary>
    public static string Describe(AssuranceIcon icon, string target) => icon switch
    {
        AssuranceIcon.ConsistentlyPass => $"Assurance: consistently passing — every month is expected to be better than {target}",
        AssuranceIcon.ConsistentlyFail => $"Assurance: consistently failing — every month is expected to be worse than {target}",
        AssuranceIcon.HitAndMiss => $"Assurance: hit and miss — months will fall either side of {target}, by chance",
        _ => $"No assurance icon: a neutral indicator has no better or worse side of {target}",
    };
}
