namespace Pipeline.Core.Statistics.Spc;

/// <summary>
/// The building blocks of the special-cause rules, with the semantics of NHSRplotthedots' <c>ptd_seven_point_one_side_mean</c>,
/// <c>ptd_seven_point_trend</c>, <c>ptd_part_of_seven_trend</c>, <c>ptd_two_in_three</c> and <c>ptd_part_of_two_in_three</c>
/// (whose unit tests are among our reference cases).
/// </summary>
public static class SpecialCauseRules
{
    public const int RunLength = 7;

    /// <summary>Signs relative to the mean (1 above, −1 below, 0 on it).</summary>
    public static int[] RelativeToMean(IReadOnlyList<double> values, double mean) =>
        [.. values.Select(v => Math.Sign(v - mean))];

    /// <summary>1 at each point that ends a run of ≥ 7 points on the same side of the mean (a point on the mean breaks a run).</summary>
    public static int[] SevenPointOneSideOfMean(IReadOnlyList<int> relativeToMean)
    {
        ArgumentNullException.ThrowIfNull(relativeToMean);
        var output = new int[relativeToMean.Count];
        var run = 0;
        for (var i = 0; i < relativeToMean.Count; i++)
        {
            run = relativeToMean[i] != 0 && i > 0 && relativeToMean[i] == relativeToMean[i - 1] ? run + 1 : (relativeToMean[i] != 0 ? 1 : 0);
            output[i] = run >= RunLength ? 1 : 0;
        }

        return output;
    }

    /// <summary>±1 at each point that ends 7 points each strictly higher (+1) or lower (−1) than the one before; a tie breaks a trend.</summary>
    public static int[] SevenPointTrend(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var output = new int[values.Count];
        var run = 0;
        var previousSign = 0;
        for (var i = 1; i < values.Count; i++)
        {
            var sign = Math.Sign(values[i] - values[i - 1]);
            run = sign != 0 && sign == previousSign ? run + 1 : (sign != 0 ? 1 : 0);
            previousSign = sign;
            output[i] = run >= RunLength - 1 ? sign : 0;
        }

        return output;
    }

    /// <summary>1 for every point that is part of a flagged run: it or any of the next 6 points ends one.</summary>
    public static int[] PartOfSevenPointRun(IReadOnlyList<int> runEnds)
    {
        ArgumentNullException.ThrowIfNull(runEnds);
        var output = new int[runEnds.Count];
        for (var i = 0; i < runEnds.Count; i++)
        {
            for (var j = i; j < Math.Min(runEnds.Count, i + RunLength); j++)
            {
                if (runEnds[j] != 0)
                {
                    output[i] = 1;
                    break;
                }
            }
        }

        return output;
    }

    /// <summary>1 for all three points of any window of 3 consecutive points with ≥ 2 beyond a near-limit line and all 3 on one side.</summary>
    public static int[] TwoInThree(IReadOnlyList<int> closeToLimits, IReadOnlyList<int> relativeToMean)
    {
        ArgumentNullException.ThrowIfNull(closeToLimits);
        ArgumentNullException.ThrowIfNull(relativeToMean);
        var output = new int[closeToLimits.Count];
        for (var i = 0; i + 2 < closeToLimits.Count; i++)
        {
            var close = closeToLimits[i] + closeToLimits[i + 1] + closeToLimits[i + 2];
            var side = relativeToMean[i];
            if (close >= 2 && side != 0 && relativeToMean[i + 1] == side && relativeToMean[i + 2] == side)
            {
                output[i] = output[i + 1] = output[i + 2] = 1;
            }
        }

        return output;
    }

    /// <summary>Of the points in a 2-in-3 window, only those themselves beyond the near-limit line are special causes.</summary>
    public static int[] PartOfTwoInThree(IReadOnlyList<int> twoInThree, IReadOnlyList<int> closeToLimits)
    {
        ArgumentNullException.ThrowIfNull(twoInThree);
        ArgumentNullException.ThrowIfNull(closeToLimits);
        return [.. twoInThree.Select((flag, i) => flag != 0 && closeToLimits[i] != 0 ? 1 : 0)];
    }

    /// <summary>
    /// Each point's special cause, in the Making Data Count order of precedence (outside the limits, a trend, two of three
    /// beyond the near line, a shift), whatever chart gave the limits: <paramref name="outside"/> marks points beyond the
    /// process limits and <paramref name="closeToLimits"/> (1) those between the near and the process limits.
    /// </summary>
    public static (SpecialCauseRule Rule, SpecialCauseSide Side)[] Classify(
        IReadOnlyList<double> values, double mean, IReadOnlyList<bool> outside, IReadOnlyList<int> closeToLimits)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(outside);
        ArgumentNullException.ThrowIfNull(closeToLimits);
        var relative = RelativeToMean(values, mean);
        var trendEnds = SevenPointTrend(values);
        var inTrend = PartOfSevenPointRun(trendEnds);
        var twoInThree = PartOfTwoInThree(TwoInThree(closeToLimits, relative), closeToLimits);
        var inShift = PartOfSevenPointRun(SevenPointOneSideOfMean(relative));
        return [.. values.Select((_, i) =>
            outside[i] ? (SpecialCauseRule.OutsideLimits, (SpecialCauseSide)relative[i])
            : inTrend[i] != 0 ? (SpecialCauseRule.Trend, TrendDirection(trendEnds, i))
            : twoInThree[i] != 0 ? (SpecialCauseRule.TwoOfThree, (SpecialCauseSide)relative[i])
            : inShift[i] != 0 ? (SpecialCauseRule.Shift, (SpecialCauseSide)relative[i])
            : (SpecialCauseRule.None, SpecialCauseSide.None))];
    }

    /// <summary>The direction of the trend a point belongs to: the sign at the first run end at or after it.</summary>
    private static SpecialCauseSide TrendDirection(int[] trendEnds, int index)
    {
        for (var j = index; j < Math.Min(trendEnds.Length, index + RunLength); j++)
        {
            if (trendEnds[j] != 0)
            {
                return (SpecialCauseSide)trendEnds[j];
            }
        }

        return SpecialCauseSide.None;
    }
}
