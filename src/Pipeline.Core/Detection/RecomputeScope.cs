using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Detection;

/// <summary>
/// Which windows a new or changed trust-month touches: its trust, and the LMNS and region it belonged to that month
/// (membership in force then), at every period whose window contains the month, up to the latest evaluated period.
/// </summary>
public static class RecomputeScope
{
    /// <param name="trustCode">The trust whose submission for <paramref name="changed"/> arrived or was replaced.</param>
    /// <param name="latest">The latest period evaluated (windows ending later do not exist yet).</param>
    /// <param name="windowMonths">The longest window in use (default: the catalogue's longest).</param>
    /// <param name="seriesStart">
    /// The first month with data. SPC limits are fixed on the first <see cref="DetectionOptions.SpcBaselinePoints"/> points, so
    /// a change inside that baseline moves every later period's SPC check: then every period up to <paramref name="latest"/> is listed.
    /// </param>
    public static IReadOnlyList<WindowKey> Affected(
        ReferenceData reference,
        string trustCode,
        Period changed,
        Period latest,
        int? windowMonths = null,
        Period? seriesStart = null,
        DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        options ??= DetectionOptions.Default;
        var longest = windowMonths ?? Math.Max(
            options.WindowMonths ?? reference.Indicators.Max(i => i.WindowMonths),
            options.PerIndicator.Values.Select(o => o.WindowMonths ?? 0).DefaultIfEmpty(0).Max());

        // An SPC run (trend or shift) reaches 7 points back, so a change can alter run rules up to 6 months later.
        var last = changed.AddMonths(Math.Max(longest, 7) - 1);
        if (seriesStart is { } start && changed < start.AddMonths(options.SpcBaselinePoints))
        {
            last = latest;
        }

        if (last > latest)
        {
            last = latest;
        }

        var organisations = new List<(Level, string)> { (Level.Organisation, trustCode) };
        if (reference.LmnsOf(trustCode, changed) is { } lmns)
        {
            organisations.Add((Level.Lmns, lmns));
            if (reference.FindLmns(lmns, changed)?.RegionCode is { } region)
            {
                organisations.Add((Level.Region, region));
            }
        }

        var keys = new List<WindowKey>();
        for (var period = changed; period <= last; period = period.AddMonths(1))
        {
            keys.AddRange(organisations.Select(o => new WindowKey(o.Item1, o.Item2, period)));
        }

        return keys;
    }
}
