namespace Pipeline.Core.Statistics.Spc;

/// <summary>One month (sample) of a p-chart: its proportion, its own limits (they depend on its denominator) and the rule it
/// meets.</summary>
/// <param name="LowerLimit">Centre − 3σᵢ, never below 0.</param>
/// <param name="UpperLimit">Centre + 3σᵢ, never above 1.</param>
/// <param name="LowerNearLimit">Centre − 2σᵢ (the "2 of 3" rule's line), never below 0.</param>
/// <param name="UpperNearLimit">Centre + 2σᵢ, never above 1.</param>
public sealed record PChartPoint(
    int Index,
    long Numerator,
    long Denominator,
    double Proportion,
    double LowerLimit,
    double UpperLimit,
    double LowerNearLimit,
    double UpperNearLimit,
    SpecialCauseRule Rule,
    SpecialCauseSide Side)
{
    public bool IsSpecialCause => Rule != SpecialCauseRule.None;
}

/// <summary>
/// A p-chart (Shewhart chart for a proportion with varying sample sizes; Montgomery, <i>Introduction to Statistical Quality
/// Control</i>, ch. 7): centre line p̄ = Σx / Σn over the baseline samples, and for each sample binomial limits
/// p̄ ± 3·√(p̄(1 − p̄)/nᵢ), clipped to [0, 1], so the limits widen for small months and narrow for large ones. Every point is
/// classified by the Making Data Count rules in the order the XmR chart uses (<see cref="XmrChart"/>): outside a limit,
/// a trend of <see cref="SpecialCauseRules.RunLength"/>, 2 of 3 beyond the 2σ line on one side, a shift of
/// <see cref="SpecialCauseRules.RunLength"/> on one side of the centre.
/// </summary>
public sealed record PChart(double Centre, int BaselinePoints, IReadOnlyList<PChartPoint> Points)
{
    /// <summary>
    /// Builds the chart from (events, denominator) samples in time order. The centre is fixed on the first
    /// <paramref name="baselinePoints"/> samples (null: all of them). Null when there are fewer samples than the baseline,
    /// the baseline's denominator is 0 or a sample has a denominator of 0 or less, or a count is negative or above its denominator.
    /// </summary>
    public static PChart? Build(IReadOnlyList<(long Numerator, long Denominator)> samples,
        int? baselinePoints = XmrChart.DefaultBaselinePoints)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var baseline = baselinePoints ?? samples.Count;
        if (baseline < 1 || samples.Count < baseline || samples.Any(s => s.Denominator <= 0 || s.Numerator < 0
            || s.Numerator > s.Denominator))
        {
            return null;
        }

        var events = samples.Take(baseline).Sum(s => s.Numerator);
        var total = samples.Take(baseline).Sum(s => s.Denominator);
        return WithCentre(samples, (double)events / total, baseline);
    }

    /// <summary>
    /// The chart around a centre given by the caller (a published baseline proportion, computed from rounded counts).
    /// Null when a sample has a denominator of 0 or less, or the centre is not in [0, 1].
    /// </summary>
    public static PChart? WithCentre(IReadOnlyList<(long Numerator, long Denominator)> samples, double centre, int baselinePoints)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (!(centre is >= 0 and <= 1) || samples.Any(s => s.Denominator <= 0 || s.Numerator < 0 || s.Numerator > s.Denominator))
        {
            return null;
        }

        var values = samples.Select(s => (double)s.Numerator / s.Denominator).ToList();
        var limits = samples.Select(s => (Outer: Limits(centre, s.Denominator, 3), Near: Limits(centre, s.Denominator, 2))).ToList();
        var outside = values.Select((v, i) => v > limits[i].Outer.Upper || v < limits[i].Outer.Lower).ToArray();
        var close = values.Select((v, i) => !outside[i] && (v > limits[i].Near.Upper || v < limits[i].Near.Lower) ? 1 : 0).ToArray();
        var causes = SpecialCauseRules.Classify(values, centre, outside, close);
        var points = new PChartPoint[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var (outer, near) = limits[i];
            points[i] = new PChartPoint(i, samples[i].Numerator, samples[i].Denominator, values[i], outer.Lower, outer.Upper, near.Lower,
                near.Upper, causes[i].Rule, causes[i].Side);
        }

        return new PChart(centre, baselinePoints, points);
    }

    /// <summary>p̄ ± <paramref name="sigmas"/>·√(p̄(1 − p̄)/n), clipped to [0, 1]: a proportion can be neither negative nor above
    /// 1.</summary>
    public static Interval Limits(double centre, long denominator, double sigmas)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        var half = sigmas * Math.Sqrt(centre * (1 - centre) / denominator);
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
