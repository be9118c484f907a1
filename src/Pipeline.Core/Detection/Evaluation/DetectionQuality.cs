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
        // Evaluated once with the CUSUM unable to fire, keeping each group's statistic: the counts at any threshold h
        // (the configured one, and every h of the calibration sweep) follow from these traces exactly as the engine
        // would decide them (a CUSUM alert needs the statistic ≥ h with the same gates as the ratio rule).
        var engine = new DivergenceEngine(reference, settings.Options with { SpcWatch = false, CusumThreshold = double.PositiveInfinity });
        var traces = new List<SeriesTrace>();
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
            lmnsYears += store.Organisations.Count(o => o.Level == Level.Lmns) * settings.NullEvaluatedMonths / 12.0;
            trustYears += store.Organisations.Count(o => o.Level == Level.Organisation) * settings.NullEvaluatedMonths / 12.0;
            traces.AddRange(store.Series.Select(series => Trace(engine, reference, series, first, settings.NullEvaluatedMonths)));
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"null dataset {dataset + 1}/{settings.NullDatasets}"));
        }

        AlertCounts Sum(Level level, double h) =>
            traces.Where(t => t.Level == level).Aggregate(AlertCounts.Zero, (total, t) => total.Add(t.Count(h)));
        int CusumOnly(Level level, double h) => traces.Where(t => t.Level == level).Sum(t => t.CusumOnlyEpisodes(h));

        var configured = settings.Options.CusumThreshold;
        var sweep = settings.CusumThresholds.Select(h => new CusumSweepPoint(
            h,
            Sum(Level.Lmns, h).NewAlerts / lmnsYears,
            Sum(Level.Organisation, h).NewAlerts / trustYears,
            CusumOnly(Level.Lmns, h) / lmnsYears)).ToList();
        return new FalseAlertRate(
            lmnsYears, trustYears, Sum(Level.Lmns, configured), Sum(Level.Organisation, configured), Sum(Level.Region, configured))
        {
            CusumSweep = sweep,
            CalibratedThreshold = sweep.Where(p => p.LmnsPerYear <= settings.CalibrationTarget).Select(p => (double?)p.Threshold).Min(),
        };
    }

    /// <summary>
    /// The bound (docs/detection.md, "The bound"): for the scenario's group sizes, the mean power of the most powerful test
    /// (<see cref="DetectionBound"/>) of a stillbirth excess of each ratio in each plantable group, using the months of
    /// each horizon, with the reference rate known and a false-alert probability of <paramref name="alphaPerGroupYear"/>
    /// per group per year (spent in proportion to the horizon). Averaged over groups and, for trusts, over each LMNS's
    /// trusts then over LMNS, as the plants are drawn. No rule can do better on the same data at that false-alert rate.
    /// </summary>
    public static IReadOnlyList<DetectionBoundRate> MeasureBound(
        ReferenceData reference, DetectionQualitySettings settings, double alphaPerGroupYear, string indicatorCode = "stillbirth")
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(settings);
        var onset = settings.Start.AddMonths(settings.PreOnsetMonths);
        var store = Simulate(reference, new SyntheticScenario
        {
            Seed = SeededRandom.Derive(settings.Seed, "bound"),
            Start = settings.Start,
            Months = settings.PreOnsetMonths,
            IndicatorCodes = [indicatorCode],
        });
        var rate = Synthetic.BaselineRates.For(indicatorCode).Rate;
        var lmnsCodes = reference.LmnsList.Where(l => l.IsActiveIn(onset)).Select(l => l.Code)
            .Where(code => reference.TrustsInLmns(code, onset).Any()).Distinct().Order(StringComparer.Ordinal).ToList();

        // Expected events a month at the reference rate for each plantable group of an organisation.
        List<double> Expected(Level level, string code)
        {
            var result = new List<double>();
            foreach (var group in PlantableGroups)
            {
                var breakdown = char.IsDigit(group[0]) ? ComparisonBreakdown.ImdQuintile : ComparisonBreakdown.EthnicGroup;
                var series = store.Find(new SeriesKey(level, code, indicatorCode, breakdown));
                var window = series?.Window(onset.AddMonths(-1), settings.PreOnsetMonths);
                result.Add(window is null || window.MonthsPresent == 0 ? 0 : window[group].Denominator * rate / window.MonthsPresent);
            }

            return result;
        }

        var rows = new List<DetectionBoundRate>();
        foreach (var level in new[] { Level.Organisation, Level.Lmns })
        {
            // Per LMNS: its own groups, or the groups of each of its trusts (a trust plant picks one trust at random).
            var perLmns = lmnsCodes.Select(l => level == Level.Lmns
                ? [Expected(Level.Lmns, l)]
                : reference.TrustsInLmns(l, onset).Select(t => Expected(Level.Organisation, t)).ToList()).ToList();
            foreach (var ratio in settings.Ratios)
            {
                foreach (var months in new[] { settings.EarlyMonths, settings.MidMonths, settings.FollowUpMonths })
                {
                    var alpha = alphaPerGroupYear * months / 12.0;
                    double Power(double e) => DetectionBound.Power(e, months, ratio, alpha);
                    var powers = perLmns.Select(orgs => orgs.Average(groups => groups.Average(Power))).ToList();
                    var half = perLmns.Select(orgs => orgs.Average(groups => groups.Average(e => Power(e) >= 0.5 ? 1.0 : 0.0))).ToList();
                    rows.Add(new DetectionBoundRate(indicatorCode, level, ratio, months, alpha, powers.Average(), half.Average()));
                }
            }
        }

        return rows;
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
            outcomes.Count(o => o.Alert.First < settings.MidMonths),
            outcomes.Count(o => o.Alert.First < settings.FollowUpMonths),
            outcomes.Count(o => o.Alert.Persistent < settings.EarlyMonths),
            outcomes.Count(o => o.Alert.Persistent < settings.FollowUpMonths));

    private static SeriesTrace Trace(DivergenceEngine engine, ReferenceData reference, CountSeries series, Period first, int months)
    {
        long comparisons = 0, gradients = 0;
        var ratioHeld = new Dictionary<string, bool[]>(StringComparer.Ordinal);
        var cusum = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var gradientHeld = new bool[months];
        var options = engine.Options.For(series.Key.IndicatorCode);
        var catalogueWindow = options.WindowMonths ?? reference.FindIndicator(series.Key.IndicatorCode)!.WindowMonths;
        for (var m = 0; m < months; m++)
        {
            var evaluation = engine.EvaluateSeries(series, first.AddMonths(m));
            var evaluable = evaluation.Comparisons
                .Where(c => !c.Inhibited && c.MonthsPresent >= options.MinimumMonthsPresent(catalogueWindow)).ToList();
            comparisons += evaluable.Count;
            gradients += evaluation.Gradient is { Rii: not null, Inhibited: false } ? 1 : 0;
            foreach (var alert in evaluation.Comparisons.Where(c => c.Signal == Signal.Alert))
            {
                (ratioHeld.TryGetValue(alert.GroupCode, out var held) ? held : ratioHeld[alert.GroupCode] = new bool[months])[m] = true;
            }

            foreach (var c in evaluable.Where(c =>
                c.Cusum is not null && c.Numerator >= options.MinimumEvents && c.ReferenceNumerator >= options.MinimumEvents))
            {
                var statistics = cusum.TryGetValue(c.GroupCode, out var s) ? s : cusum[c.GroupCode] = Enumerable.Repeat(double.NaN, months).ToArray();
                statistics[m] = c.Cusum!.Value;
            }

            gradientHeld[m] = evaluation.Gradient?.Signal == Signal.Alert;
        }

        return new SeriesTrace(series.Key.Level, months, ratioHeld, cusum, gradientHeld, comparisons, gradients);
    }

    /// <summary>One null series' alert history with the CUSUM unable to fire, and each group's CUSUM statistic where it could.</summary>
    private sealed record SeriesTrace(
        Level Level,
        int Months,
        Dictionary<string, bool[]> RatioHeld,
        Dictionary<string, double[]> Cusum,
        bool[] GradientHeld,
        long Comparisons,
        long Gradients)
    {
        /// <summary>Each group's alert months at threshold h: the ratio rule's, or the CUSUM at or above h.</summary>
        private List<bool[]> Held(double h) =>
            [.. RatioHeld.Keys.Union(Cusum.Keys).Select(g => Enumerable.Range(0, Months).Select(m =>
                (RatioHeld.TryGetValue(g, out var r) && r[m]) || (Cusum.TryGetValue(g, out var s) && s[m] >= h)).ToArray())];

        public AlertCounts Count(double h)
        {
            // Alerts are counted as the alert lifecycle opens them (AlertLifecycle.Episodes: an alert resolves only after two
            // quiet months), i.e. what a lead would be told is new; alert-months count every month a signal holds.
            var policy = AlertPolicy.Default;
            var held = Held(h).Where(x => x.Any(b => b)).ToList();
            return new AlertCounts(
                held.Sum(x => x.Count(b => b)),
                GradientHeld.Count(x => x),
                held.Sum(x => AlertLifecycle.Episodes(x, policy)),
                AlertLifecycle.Episodes(GradientHeld, policy),
                Comparisons,
                Gradients,
                held.Append(GradientHeld).Sum(RunsOfAtLeastTwo));
        }

        /// <summary>Episodes the CUSUM adds at threshold h to those the ratio rule raises alone.</summary>
        public int CusumOnlyEpisodes(double h) =>
            Count(h).NewRatioAlerts - Count(double.PositiveInfinity).NewRatioAlerts;
    }

    /// <summary>Sensitivity: runs of two or more consecutive alerting months (what a two-months-in-a-row rule would raise).</summary>
    private static int RunsOfAtLeastTwo(bool[] held) => held.Where((h, i) => h && i > 0 && held[i - 1] && (i < 2 || !held[i - 2])).Count();
}
