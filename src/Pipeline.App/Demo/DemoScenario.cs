using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Synthetic;

namespace Pipeline.App.Demo;

/// <summary>What <c>pipeline demo</c> generates: one region's trusts over a run of months, with known truth planted in it.</summary>
public sealed record DemoOptions
{
    public const string DefaultRegion = "Y56";

    public string RegionCode { get; init; } = DefaultRegion;

    public int Months { get; init; } = 24;

    public ulong Seed { get; init; } = 2026;

    /// <summary>The last month generated (default: the month before the current one, the latest a trust could have submitted).</summary>
    public Period? End { get; init; }
}

/// <summary>
/// Chooses the planted truths from the region's own organisations, so any region gives a demo with something to find:
/// a large, lasting gap for Black women booking by 10 weeks in one LMNS (a common outcome), an Asian stillbirth excess
/// at the largest trust (a rare outcome), a deprivation gradient in smoking at booking in a second LMNS, and one trust
/// with poor ethnicity recording (so its ethnicity signals are inhibited and a data-quality finding is raised instead).
/// </summary>
public static class DemoScenario
{
    public static SyntheticScenario Create(ReferenceData reference, DemoOptions options, Period end)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(options);
        if (reference.FindRegion(options.RegionCode) is null)
        {
            throw new ArgumentException(
                $"'{options.RegionCode}' is not an NHS England region; use one of {string.Join(", ", reference.Regions.Select(r => $"{r.Code} ({r.Name})"))}.",
                nameof(options));
        }

        if (options.Months is < 3 or > 120)
        {
            throw new ArgumentException("--months must be between 3 and 120.", nameof(options));
        }

        var start = end.AddMonths(-(options.Months - 1));
        var trusts = TrustsOf(reference, options.RegionCode, start, end);
        var lmns = reference.LmnsList.Where(l => l.RegionCode == options.RegionCode && l.IsActiveIn(start))
            .Select(l => l.Code).Where(code => reference.TrustsInLmns(code, start).Any()).Order(StringComparer.Ordinal).ToList();
        var largest = trusts.Where(t => reference.IsTrustActive(t, end))
            .OrderByDescending(t => reference.FindTrust(t)?.Deliveries2022To23 ?? 0).ThenBy(t => t, StringComparer.Ordinal).First();
        var smallest = trusts.Where(t => reference.IsTrustActive(t, end) && t != largest)
            .OrderBy(t => reference.FindTrust(t)?.Deliveries2022To23 ?? int.MaxValue).ThenBy(t => t, StringComparer.Ordinal).FirstOrDefault();
        var onset = start.AddMonths(options.Months / 4);

        List<PlantedDivergence> planted =
        [
            new(Level.Lmns, lmns[0], "booking_by_10_weeks", ComparisonBreakdown.EthnicGroup, BroadGroups.Black, 1.6, onset),
            new(Level.Organisation, largest, "stillbirth", ComparisonBreakdown.EthnicGroup, BroadGroups.Asian, 2.5, onset),
        ];
        if (lmns.Count > 1)
        {
            planted.Add(new(Level.Lmns, lmns[1], "smoking_at_booking", ComparisonBreakdown.ImdQuintile, "1", 1.8, onset));
        }

        return new SyntheticScenario
        {
            Seed = options.Seed,
            Start = start,
            Months = options.Months,
            TrustCodes = trusts,
            Divergences = planted,
            PoorEthnicityRecording = smallest is null ? [] : [new PoorEthnicityRecording(smallest, 0.22)],
        };
    }

    /// <summary>Trusts that belonged to the region in any month of the run (membership changes with ICB mergers).</summary>
    private static List<string> TrustsOf(ReferenceData reference, string regionCode, Period start, Period end)
    {
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        for (var period = start; period <= end; period = period.AddMonths(1))
        {
            foreach (var trust in reference.TrustsActiveIn(period))
            {
                if (reference.RegionOf(trust.Code, period) == regionCode)
                {
                    codes.Add(trust.Code);
                }
            }
        }

        return [.. codes];
    }
}
