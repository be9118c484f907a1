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
        var outside = values.Select(v => v > limits.UpperProcessLimit || v < limits.LowerProcessLimit).ToArray();
        var close = values.Select((v, i) => !outside[i] && (v > limits.UpperNearLimit || v < limits.LowerNearLimit) ? 1 : 0).ToArray();
        var causes = SpecialCauseRules.Classify(values, limits.Mean, outside, close);
        var points = values.Select((v, i) => new SpcPoint(i, v, causes[i].Rule, causes[i].Side)).ToArray();

        return new XmrChart(limits, points);
    }

    /// <summary>
    /// The last point of <see cref="Build"/>'s chart over a series, from only the points that decide it: the baseline
    /// (<paramref name="first"/>, the series' first <paramref name="baselinePoints"/> points or all it has) and the last
    /// <see cref="SpecialCauseRules.RunLength"/> points (<paramref name="last"/>), each in order. The
    /// limits come from the baseline alone, and each rule reaches back at most a run's length from the last point, so the
    /// points between change nothing (#18: a recompute charted every month's whole history, a cost growing with the years).
    /// Null when the series has fewer points than the baseline needs.
    /// </summary>
    public static SpcPoint? LatestPoint(
        IReadOnlyList<double> first, IReadOnlyList<double> last, int baselinePoints)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(last);
        return LatestPoint([.. first], [.. last], baselinePoints);
    }

    /// <summary>
    /// <see cref="LatestPoint(IReadOnlyList{double}, IReadOnlyList{double}, int)"/> without a chart: the same point, from
    /// the limits and the last point's rules alone, with no allocation but the point (#18: detection asks for it at every
    /// comparison of every month). A value that is not finite takes the chart's own path, which decides what it means.
    /// </summary>
    public static SpcPoint? LatestPoint(ReadOnlySpan<double> first, ReadOnlySpan<double> last, int baselinePoints)
    {
        if (first.Length < baselinePoints || last.IsEmpty || baselinePoints < 2)
        {
            return null;
        }

        if (!AllFinite(first) || !AllFinite(last)
            || LimitsOf(first[..baselinePoints]) is not var (mean, lower, upper, lowerNear, upperNear))
        {
            // Where the two ends overlap (a short series) a point appears twice, which changes neither the limits nor the last run.
            double[] values = [.. first, .. last];
            return Build(values, baselinePoints)?.Points[^1];
        }

        // Build's rules at the last of first ++ last: each looks back at most a run's length.
        var count = first.Length + last.Length;
        double At(ReadOnlySpan<double> f, ReadOnlySpan<double> l, int i) => i < f.Length ? f[i] : l[i - f.Length];
        var value = last[^1];
        var side = (SpecialCauseSide)Math.Sign(value - mean);
        if (value > upper || value < lower)
        {
            return new SpcPoint(count - 1, value, SpecialCauseRule.OutsideLimits, side);
        }

        // A trend ends here when the last RunLength − 1 steps all have this step's (non-zero) sign.
        var step = count > 1 ? Math.Sign(value - At(first, last, count - 2)) : 0;
        var steps = step == 0 ? 0 : 1;
        for (var i = count - 2; step != 0 && i >= 1 && steps < SpecialCauseRules.RunLength - 1
            && Math.Sign(At(first, last, i) - At(first, last, i - 1)) == step; i--)
        {
            steps++;
        }

        if (steps >= SpecialCauseRules.RunLength - 1)
        {
            return new SpcPoint(count - 1, value, SpecialCauseRule.Trend, (SpecialCauseSide)step);
        }

        bool Close(double v) => !(v > upper || v < lower) && (v > upperNear || v < lowerNear);
        if (count >= 3 && side != SpecialCauseSide.None && Close(value))
        {
            var before = At(first, last, count - 2);
            var twoBefore = At(first, last, count - 3);
            if ((Close(before) || Close(twoBefore))
                && Math.Sign(before - mean) == (int)side && Math.Sign(twoBefore - mean) == (int)side)
            {
                return new SpcPoint(count - 1, value, SpecialCauseRule.TwoOfThree, side);
            }
        }

        var run = side == SpecialCauseSide.None ? 0 : 1;
        for (var i = count - 2;
            run > 0 && i >= 0 && run < SpecialCauseRules.RunLength && Math.Sign(At(first, last, i) - mean) == (int)side; i--)
        {
            run++;
        }

        return run >= SpecialCauseRules.RunLength
            ? new SpcPoint(count - 1, value, SpecialCauseRule.Shift, side)
            : new SpcPoint(count - 1, value, SpecialCauseRule.None, SpecialCauseSide.None);
    }

    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <see cref="XmrLimits.Compute"/>'s numbers (outliers screened) in the same operations and order, without its lists;
    /// null when one is not finite.
    /// </summary>
    private static (double Mean, double Lower, double Upper, double LowerNear, double UpperNear)? LimitsOf(ReadOnlySpan<double> baseline)
    {
        var sum = baseline[0];
        for (var i = 1; i < baseline.Length; i++)
        {
            sum += baseline[i];
        }

        var mean = sum / baseline.Length;
        var ranges = 0.0;
        for (var i = 1; i < baseline.Length; i++)
        {
            ranges += Math.Abs(baseline[i] - baseline[i - 1]);
        }

        var meanRange = ranges / (baseline.Length - 1);
        var cut = XmrLimits.ScreeningFactor * meanRange;
        var kept = 0.0;
        var keptCount = 0;
        for (var i = 1; i < baseline.Length; i++)
        {
            var range = Math.Abs(baseline[i] - baseline[i - 1]);
            if (range < cut)
            {
                kept += range;
                keptCount++;
            }
        }

        if (keptCount > 0)
        {
            meanRange = kept / keptCount;
        }

        // XmrLimits' own expressions, so the limits are the same numbers.
        var near = 2.0 / 3.0 * XmrLimits.LimitFactor * meanRange;
        return double.IsFinite(mean) && double.IsFinite(meanRange)
            ? (mean, mean - (XmrLimits.LimitFactor * meanRange), mean + (XmrLimits.LimitFactor * meanRange), mean - near, mean + near)
            : null;
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
