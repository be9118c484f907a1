namespace Pipeline.Core.Statistics;

/// <summary>A confidence interval [Lower, Upper] on the scale of the estimate it belongs to.</summary>
public readonly record struct Interval(double Lower, double Upper)
{
    public bool Contains(double value) => value >= Lower && value <= Upper;

    /// <summary>The whole interval lies strictly above (or below) <paramref name="value"/>.</summary>
    public bool Excludes(double value) => Lower > value || Upper < value;

    public Interval Scale(double factor) => factor >= 0 ? new(Lower * factor, Upper * factor) : new(Upper * factor, Lower * factor);
}
