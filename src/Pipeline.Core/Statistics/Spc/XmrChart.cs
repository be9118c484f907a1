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
        if (first.Count < baselinePoints || last.Count == 0)
        {
            return null;
        }

        // Where the two ends overlap (a short series) a point appears twice, which changes neither the limits nor the last run.
        IEnumerable<double> values = first.Concat(last);
        return Build([.. values], baselinePoints)?.Points[^1];
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
