namespace Pipeline.Core.Statistics.Spc;

/// <summary>An XmR chart: limits fixed on a baseline, and every point classified by the first special-cause rule it meets.</summary>
public sealed record XmrChart(XmrLimits Limits, IReadOnlyList<SpcPoint> Points)
{
    /// <summary>The pipeline's baseline: limits are fixed after the first 12 points; fewer points give no SPC signal.</summary>
    public const int DefaultBaselinePoints = 12;

    /// <summary>
    /// Builds the chart (docs/statistics.md §5). <paramref name="baselinePoints"/> null uses every point (NHSRplotthedots'
    /// default, which the reference cases use); otherwise limits come from the first that many points and the series needs
    /// at least that many, else null.
    /// </summary>
    public static XmrChart? Build(IReadOnlyList<double> values, int? baselinePoints = DefaultBaselinePoints, bool screenOutliers = true)
    {
        ArgumentNullException.ThrowIfNull(values);
        var baselineCount = baselinePoints ?? values.Count;
        if (values.Count < baselineCount || baselineCount < 2)
        {
            return null;
        }

        var limits = XmrLimits.Compute([.. values.Take(baselineCount)], screenOutliers)!;
        var relative = SpecialCauseRules.RelativeToMean(values, limits.Mean);
        var outside = values.Select(v => v > limits.UpperProcessLimit || v < limits.LowerProcessLimit).ToArray();
        var close = values.Select((v, i) => !outside[i] && (v > limits.UpperNearLimit || v < limits.LowerNearLimit) ? 1 : 0).ToArray();

        var trendEnds = SpecialCauseRules.SevenPointTrend(values);
        var inTrend = SpecialCauseRules.PartOfSevenPointRun(trendEnds);
        var twoInThree = SpecialCauseRules.PartOfTwoInThree(SpecialCauseRules.TwoInThree(close, relative), close);
        var inShift = SpecialCauseRules.PartOfSevenPointRun(SpecialCauseRules.SevenPointOneSideOfMean(relative));

        var points = new SpcPoint[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var (rule, side) = outside[i] ? (SpecialCauseRule.OutsideLimits, (SpecialCauseSide)relative[i])
                : inTrend[i] != 0 ? (SpecialCauseRule.Trend, TrendDirection(trendEnds, i))
                : twoInThree[i] != 0 ? (SpecialCauseRule.TwoOfThree, (SpecialCauseSide)relative[i])
                : inShift[i] != 0 ? (SpecialCauseRule.Shift, (SpecialCauseSide)relative[i])
                : (SpecialCauseRule.None, SpecialCauseSide.None);
            points[i] = new SpcPoint(i, values[i], rule, side);
        }

        return new XmrChart(limits, points);
    }

    /// <summary>The direction of the trend a point belongs to: the sign at the first run end at or after it.</summary>
    private static SpecialCauseSide TrendDirection(int[] trendEnds, int index)
    {
        for (var j = index; j < Math.Min(trendEnds.Length, index + SpecialCauseRules.RunLength); j++)
        {
            if (trendEnds[j] != 0)
            {
                return (SpecialCauseSide)trendEnds[j];
            }
        }

        return SpecialCauseSide.None;
    }
}

/// <summary>Making Data Count assurance: can the process be relied on to meet a target?</summary>
public enum Assurance
{
    Inconsistent,
    ConsistentPass,
    ConsistentFail,
}

public static class XmrAssurance
{
    /// <summary>Target outside the process limits → consistently met or missed; inside → hit and miss.</summary>
    public static Assurance Classify(double lowerProcessLimit, double upperProcessLimit, double target, bool higherIsBetter)
    {
        if (target > upperProcessLimit)
        {
            return higherIsBetter ? Assurance.ConsistentFail : Assurance.ConsistentPass;
        }

        if (target < lowerProcessLimit)
        {
            return higherIsBetter ? Assurance.ConsistentPass : Assurance.ConsistentFail;
        }

        return Assurance.Inconsistent;
    }
}
