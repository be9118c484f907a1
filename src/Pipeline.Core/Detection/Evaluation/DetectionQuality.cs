using System.Globalization;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;
using Pipeline.Core.Synthetic;

namespace Pipeline.Core.Detection.Evaluation;

/// <summary>
/// Measures how well the engine finds divergences planted in synthetic data with known truth, and how often it alerts
/// when nothing is planted. Pure: generation, aggregation, roll-up and detection all happen in memory.
/// </summary>
public static class DetectionQuality
{
    private static readonly string[] PlantableGroups = ["Mixed", "Asian", "Black", "Other", "1", "2", "3", "4"];

    /// <summary>
    /// Each dataset is a national simulation with one divergence planted in every LMNS (either LMNS-wide or in one of its
    /// trusts), cycling through indicator × level × ratio so each combination gets the same number of plants, and a group
    /// drawn at random from the eight compared groups (four ethnic groups, IMD Q1–Q4). Onset is after
    /// <see cref="DetectionQualitySettings.PreOnsetMonths"/> clean months. A plant is detected "early" when its own
    /// (level, organisation, indicator, breakdown, group) comparison is an alert at a period ending within the first
    /// <see cref="DetectionQualitySettings.EarlyMonths"/> months of divergent data (onset … onset + 5), and "within
    /// follow-up" for onset … onset + 11.
    /// </summary>
    public static IReadOnlyList<DetectionRate> MeasureDetection(ReferenceData reference, DetectionQualitySettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(settings);
        var onset = settings.Start.AddMonths(settings.PreOnsetMonths);
        var cells = (from indicator in settings.Indicators from level in settings.Levels from ratio in settings.Ratios select (indicator, level, ratio)).ToList();
        var lmnsCodes = reference.LmnsList.Where(l => l.IsActiveIn(onset)).Select(l => l.Code)
            .Where(code => reference.TrustsInLmns(code, onset).Any()).Distinct().Order(StringComparer.Ordinal).ToList();
        var engine = new DivergenceEngine(reference, settings.Options with { SpcWatch = false });
        var outcomes = new List<(PlantedDivergence Plant, (int? First, int? Persistent) Alert)>();
        var plantIndex = 0;
        for (var dataset = 0; dataset < settings.DivergenceDatasets; dataset++)
        {
            var seed = SeededRandom.Derive(settings.Seed, "divergence-" + dataset.ToString(CultureInfo.InvariantCulture));
            var random = new SeededRandom(seed);
            var plants = new List<PlantedDivergence>();
            foreach (var lmns in lmnsCodes)
            {
                var (indicator, level, ratio) = cells[plantIndex++ % cells.Count];
                var group = PlantableGroups[random.NextInt(PlantableGroups.Length)];
                var trusts = reference.TrustsInLmns(lmns, onset).Order(StringComparer.Ordinal).ToList();
                var place = level == Level.Lmns ? lmns : trusts[random.NextInt(trusts.Count)];
                var breakdown = char.IsDigit(group[0]) ? ComparisonBreakdown.ImdQuintile : ComparisonBreakdown.EthnicGroup;
                plants.Add(new PlantedDivergence(level, place, indicator, breakdown, group, ratio, onset));
            }

            var store = Simulate(reference, new SyntheticScenario
            {
                Seed = seed,
                Start = settings.Start,
                Months = settings.PreOnsetMonths + settings.FollowUpMonths,
                IndicatorCodes = settings.Indicators,
                Divergences = plants,
            });
            foreach (var plant in plants)
            {
                outcomes.Add((plant, FirstAlert(engine, store, plant, settings.FollowUpMonths)));
            }

            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"divergence dataset {dataset + 1}/{settings.DivergenceDatasets}"));
        }

        var rates = new List<DetectionRate>();
        foreach (var (indicator, level, ratio) in cells)
        {
            var matching = outcomes.Where(o => o.Plant.IndicatorCode == indicator && o.Plant.Level == level && o.Plant.Ratio == ratio).ToList();
            rates.Add(Rate(indicator, level, ratio, null, matching, settings));
            foreach (var breakdown in new[] { ComparisonBreakdown.EthnicGroup, ComparisonBreakdown.ImdQuintile })
            {
                rates.Add(Rate(indicator, level, ratio, breakdown, [.. matching.Where(o => o.Plant.Breakdown == breakdown)], settings));
            }
        }

        return rates;
    }

    /// <summary>
    /// Alerts on national data with nothing planted (every indicator of the catalogue), evaluated monthly after a warm-up
    /// of <see cref="DetectionQualitySettings.PreOnsetMonths"/> months, per LMNS per year.
    /// </summary>
    public static FalseAlertRate MeasureFalseAlerts(ReferenceData reference, DetectionQualitySettings settings, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(settings);
        var engine = new DivergenceEngine(reference, settings.Options with { SpcWatch = false });
        var lmnsLevel = AlertCounts.Zero;
        var trustLevel = AlertCounts.Zero;
        var region = AlertCounts.Zero;
        double lmnsYears = 0, trustYears = 0;
        for (var dataset = 0; dataset < settings.NullDatasets; dataset++)
        {
            var seed = SeededRandom.Derive(settings.Seed, "null-" + dataset.ToString(CultureInfo.InvariantCulture));
            var store = Simulate(reference, new SyntheticScenario
            {
                Seed = seed,
                Start = settings.Start,
                Months = settings.PreOnsetMonths + settings.NullEvaluatedMonths,
                IndicatorCodes = settings.NullIndicators,
            });
            var first = settings.Start.AddMonths(settings.PreOnsetMonths);
            var lmnsCount = store.Organisations.Count(o => o.Level == Level.Lmns);
            lmnsYears += lmnsCount * settings.NullEvaluatedMonths / 12.0;
            trustYears += store.Organisations.Count(o => o.Level == Level.Organisation) * settings.NullEvaluatedMonths / 12.0;
            foreach (var series in store.Series)
            {
                var counts = CountAlerts(engine, series, first, settings.NullEvaluatedMonths);
                switch (series.Key.Level)
                {
                    case Level.Lmns:
                        lmnsLevel = lmnsLevel.Add(counts);
                        break;
                    case Level.Organisation:
                        trustLevel = trustLevel.Add(counts);
                        break;
                    default:
                        region = region.Add(counts);
                        break;
                }
            }

            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"null dataset {dataset + 1}/{settings.NullDatasets}"));
        }

        return new FalseAlertRate(lmnsYears, trustYears, lmnsLevel, trustLevel, region);
    }

    /// <summary>Generates, aggregates to broad groups and rolls up to LMNS and region: the store the engine reads.</summary>
    public static CountStore Simulate(ReferenceData reference, SyntheticScenario scenario)
    {
        var generator = new SubmissionGenerator(reference);
        var store = new CountStore();
        var trustRows = new List<GroupCount>();
        foreach (var submission in generator.Generate(scenario))
        {
            trustRows.AddRange(BroadGroupAggregation.FromSubmission(submission, reference));
        }

        foreach (var row in OrganisationRollup.WithRollUps(trustRows, reference))
        {
            store.Add(row);
        }

        return store;
    }

    /// <summary>The first follow-up month (0 = onset) with an alert, and the first whose alert also held the month before.</summary>
    private static (int? First, int? Persistent) FirstAlert(DivergenceEngine engine, CountStore store, PlantedDivergence plant, int followUpMonths)
    {
        var series = store.Find(new SeriesKey(plant.Level, plant.OrganisationCode, plant.IndicatorCode, plant.Breakdown));
        int? first = null;
        if (series is null)
        {
            return (null, null);
        }

        var previous = false;
        for (var month = 0; month < followUpMonths; month++)
        {
            var evaluation = engine.EvaluateSeries(series, plant.Onset.AddMonths(month));
            var alert = evaluation.Comparisons.Any(c => c.GroupCode == plant.GroupCode && c.Signal == Signal.Alert);
            first ??= alert ? month : null;
            if (alert && previous)
            {
                return (first, month);
            }

            previous = alert;
        }

        return (first, null);
    }

    private static DetectionRate Rate(
        string indicator, Level level, double ratio, ComparisonBreakdown? breakdown, List<(PlantedDivergence Plant, (int? First, int? Persistent) Alert)> outcomes, DetectionQualitySettings settings) =>
        new(
            indicator,
            level,
            ratio,
            breakdown,
            outcomes.Count,
            outcomes.Count(o => o.Alert.First < settings.EarlyMonths),
            outcomes.Count(o => o.Alert.First < settings.FollowUpMonths),
            outcomes.Count(o => o.Alert.Persistent < settings.EarlyMonths),
            outcomes.Count(o => o.Alert.Persistent < settings.FollowUpMonths));

    private static AlertCounts CountAlerts(DivergenceEngine engine, CountSeries series, Period first, int months)
    {
        long comparisons = 0, gradients = 0;
        var ratioHeld = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        var gradientHeld = new bool[months];
        for (var m = 0; m < months; m++)
        {
            var evaluation = engine.EvaluateSeries(series, first.AddMonths(m));
            comparisons += evaluation.Comparisons.Count(c => !c.Inhibited && c.MonthsPresent >= engine.Options.For(c.IndicatorCode).MinimumMonthsPresent(c.WindowMonths));
            gradients += evaluation.Gradient is { Rii: not null, Inhibited: false } ? 1 : 0;
            foreach (var alert in evaluation.Comparisons.Where(c => c.Signal == Signal.Alert))
            {
                (ratioHeld.TryGetValue(alert.GroupCode, out var held) ? held : ratioHeld[alert.GroupCode] = new bool[months])[m] = true;
            }

            gradientHeld[m] = evaluation.Gradient?.Signal == Signal.Alert;
        }

        // Alerts are counted as the alert lifecycle opens them (AlertLifecycle.Episodes: an alert resolves only after two
        // quiet months), i.e. what a lead would be told is new; alert-months count every month a signal holds.
        var policy = AlertPolicy.Default;
        return new AlertCounts(
            ratioHeld.Values.Sum(h => h.Count(x => x)),
            gradientHeld.Count(x => x),
            ratioHeld.Values.Sum(h => AlertLifecycle.Episodes(h, policy)),
            AlertLifecycle.Episodes(gradientHeld, policy),
            comparisons,
            gradients,
            ratioHeld.Values.Append(gradientHeld).Sum(RunsOfAtLeastTwo));
    }

    /// <summary>Sensitivity: runs of two or more consecutive alerting months (what a two-months-in-a-row rule would raise).</summary>
    private static int RunsOfAtLeastTwo(bool[] held) => held.Where((h, i) => h && i > 0 && held[i - 1] && (i < 2 || !held[i - 2])).Count();
}
