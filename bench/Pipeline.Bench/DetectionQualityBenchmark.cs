using System.Diagnostics;
using System.Globalization;
using Pipeline.Core.Detection;
using Pipeline.Core.Detection.Evaluation;
using Pipeline.Core.Reference;

namespace Pipeline.Bench;

/// <summary>
/// Detection quality on synthetic data with known truth: the share of planted divergences detected as alerts within
/// 6, 12 and 24 months of onset, and alerts per LMNS per year when nothing is planted, swept over the rare-event CUSUM's
/// threshold h (its calibration), beside the most-powerful-test bound for stillbirth at the scenario's group sizes. Ratio r means the
/// group's outcome is
/// worse by a factor r (booking by 10 weeks, higher is better: its rate ÷ r; stillbirth: × r).
/// Set DETECTION_QUALITY_DATASETS / DETECTION_QUALITY_NULL_DATASETS for a quicker or longer run, and
/// DETECTION_QUALITY_GRADIENT_CONFIDENCE to measure another gradient alert level.
/// </summary>
internal sealed class DetectionQualityBenchmark : IBenchmark
{
    public string Name => "detection-quality";

    public string Description => "Planted-divergence detection rates and null false-alert rate on synthetic national data";

    public Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var settings = new DetectionQualitySettings
        {
            DivergenceDatasets = FromEnvironment("DETECTION_QUALITY_DATASETS", 48),
            NullDatasets = FromEnvironment("DETECTION_QUALITY_NULL_DATASETS", 6), // 504 LMNS-years: h is calibrated on these
        };

        // Sensitivity: DETECTION_QUALITY_GRADIENT_CONFIDENCE=0.95 measures the design's 95% gradient alert instead of 99.8%.
        if (double.TryParse(Environment.GetEnvironmentVariable("DETECTION_QUALITY_GRADIENT_CONFIDENCE"), NumberStyles.Float, CultureInfo.InvariantCulture, out var gradient))
        {
            settings = settings with { Options = settings.Options with { GradientConfidence = gradient } };
        }

        // DETECTION_QUALITY_CUSUM_H measures another CUSUM threshold (the sweep covers 4–11 either way).
        var cusumH = Environment.GetEnvironmentVariable("DETECTION_QUALITY_CUSUM_H");
        if (double.TryParse(cusumH, NumberStyles.Float, CultureInfo.InvariantCulture, out var h))
        {
            settings = settings with { Options = settings.Options with { CusumThreshold = h } };
        }

        var reference = ReferenceData.Embedded;
        var progress = new Progress<string>(message => Console.Error.WriteLine(message));
        var metrics = new List<Metric>();

        var watch = Stopwatch.StartNew();
        var rates = DetectionQuality.MeasureDetection(reference, settings, progress);
        var detectionSeconds = watch.Elapsed.TotalSeconds;
        foreach (var rate in rates.Where(r => r.Breakdown is null))
        {
            var name = Label(rate);
            var isTarget = rate.Level == Level.Lmns && rate.Ratio == 2.0 && rate.IndicatorCode == "booking_by_10_weeks";
            var early = rate.EarlyShare * 100;
            metrics.Add(new Metric($"{name} ≤6m (n={rate.Planted})", early, "%", isTarget ? "≥ 90%" : null, isTarget ? early >= 90 : null));
            metrics.Add(new Metric($"{name} ≤12m", rate.MidShare * 100, "%"));
            metrics.Add(new Metric($"{name} ≤24m", rate.FollowUpShare * 100, "%"));
        }

        // The bound: the most powerful test on the same months with the reference rate known, if the whole budget of one
        // false alert per LMNS-year were spent on the rare-event groups (6 indicators × 8 groups): α = 1/48 per group-year.
        var rareGroups = reference.Indicators.Count(i => i.RareEvent) * 8;
        foreach (var bound in DetectionQuality.MeasureBound(reference, settings, 1.0 / rareGroups))
        {
            var level = bound.Level == Level.Lmns ? "LMNS" : "trust";
            var label = string.Create(CultureInfo.InvariantCulture, $"bound: stillbirth {level} r{bound.Ratio:0.0} ≤{bound.Months}m");
            metrics.Add(new Metric(label, bound.MeanPower * 100, "%"));
            metrics.Add(new Metric(label + " groups ≥50%", bound.ShareAtLeastHalf * 100, "%"));
        }

        // The most generous bound: the whole budget of one false alert per LMNS-year spent on stillbirth's 8 groups alone
        // (α = 1/8 per group-year), leaving nothing for any other indicator.
        var generous = DetectionQuality.MeasureBound(reference, settings, 1.0 / 8)
            .Where(b => b.Ratio == 2.0 && b.Months == settings.MidMonths);
        foreach (var bound in generous)
        {
            var level = bound.Level == Level.Lmns ? "LMNS" : "trust";
            var label = string.Create(
                CultureInfo.InvariantCulture, $"bound if all α on stillbirth: {level} r{bound.Ratio:0.0} ≤{bound.Months}m");
            metrics.Add(new Metric(label, bound.MeanPower * 100, "%"));
        }

        // Sensitivity (not the design rule): detection if an alert had to hold two consecutive months.
        foreach (var rate in rates.Where(r => r.Breakdown is null && r.IndicatorCode == "booking_by_10_weeks"))
        {
            metrics.Add(new Metric($"{Label(rate)} ≤6m if 2 months in a row", 100.0 * rate.PersistentEarly / rate.Planted, "%"));
        }

        foreach (var rate in rates.Where(r => r.Breakdown is not null && r.Planted > 0))
        {
            var breakdown = rate.Breakdown == ComparisonBreakdown.EthnicGroup ? "eth" : "imd";
            metrics.Add(new Metric($"{Label(rate)} {breakdown} ≤6m (n={rate.Planted})", rate.EarlyShare * 100, "%"));
            metrics.Add(new Metric($"{Label(rate)} {breakdown} ≤12m", rate.MidShare * 100, "%"));
            metrics.Add(new Metric($"{Label(rate)} {breakdown} ≤24m", rate.FollowUpShare * 100, "%"));
        }

        watch.Restart();
        var nulls = DetectionQuality.MeasureFalseAlerts(reference, settings, progress);
        var nullSeconds = watch.Elapsed.TotalSeconds;
        var lmnsNew = nulls.PerLmnsYear(nulls.LmnsLevel.NewAlerts);
        var trustNew = nulls.PerTrustYear(nulls.TrustLevel.NewAlerts);
        metrics.Add(new Metric("null: LMNS-level new alerts/LMNS-yr", lmnsNew, "/yr", "≤ 1", lmnsNew <= 1));
        metrics.Add(new Metric("null: LMNS-level alert-months/LMNS-yr", nulls.PerLmnsYear(nulls.LmnsLevel.AlertMonths), "/yr"));
        metrics.Add(new Metric("null: LMNS-level new ratio alerts/yr", nulls.PerLmnsYear(nulls.LmnsLevel.NewRatioAlerts), "/yr"));
        metrics.Add(new Metric("null: LMNS-level new gradient alerts/yr", nulls.PerLmnsYear(nulls.LmnsLevel.NewGradientAlerts), "/yr"));
        metrics.Add(new Metric("null: trust-level new alerts/trust-yr", trustNew, "/yr"));
        metrics.Add(new Metric("null: trust-level new ratio alerts/trust-yr", nulls.PerTrustYear(nulls.TrustLevel.NewRatioAlerts), "/yr"));
        metrics.Add(new Metric("null: trust-level new gradient alerts/trust-yr", nulls.PerTrustYear(nulls.TrustLevel.NewGradientAlerts), "/yr"));
        metrics.Add(new Metric("null: routed new alerts/LMNS-yr (LMNS + its trusts)", nulls.PerLmnsYear(nulls.Routed.NewAlerts), "/yr"));
        metrics.Add(new Metric("null: routed alert-months/LMNS-yr", nulls.PerLmnsYear(nulls.Routed.AlertMonths), "/yr"));
        metrics.Add(new Metric("null: region new alerts (total)", nulls.Region.NewAlerts, "alerts"));
        metrics.Add(new Metric("null: LMNS-level if 2 months in a row", nulls.PerLmnsYear(nulls.LmnsLevel.PersistentAlerts), "/yr"));
        metrics.Add(new Metric("null: routed if 2 months in a row", nulls.PerLmnsYear(nulls.Routed.PersistentAlerts), "/yr"));
        metrics.Add(new Metric("null: ratio alerts per test (trust+LMNS)", nulls.Routed.RatioAlertRate * 100, "%", "≈ 0.1%"));
        metrics.Add(new Metric("null: gradient alerts per test", nulls.Routed.GradientAlertRate * 100, "%", "≤ 2.5%"));
        metrics.Add(new Metric("null: tests/LMNS-yr (trust+LMNS)", nulls.PerLmnsYear((int)nulls.Routed.ComparisonMonths), "/yr"));
        foreach (var point in nulls.CusumSweep)
        {
            var sweepLabel = string.Create(
                CultureInfo.InvariantCulture,
                $"calibration: h={point.Threshold:0.00} LMNS new alerts/LMNS-yr " +
                $"(CUSUM adds {point.LmnsCusumOnlyPerYear:0.000}; trust {point.TrustPerYear:0.00}/trust-yr)");
            metrics.Add(new Metric(sweepLabel, point.LmnsPerYear, "/yr"));
        }

        var calibrated = nulls.CalibratedThreshold;
        var target = string.Create(
            CultureInfo.InvariantCulture, $"calibration: smallest h with ≤ {settings.CalibrationTarget:0.0} LMNS alerts/LMNS-yr");
        metrics.Add(new Metric(target, calibrated ?? double.NaN, "h"));
        var configured = settings.Options.CusumThreshold;
        metrics.Add(new Metric(
            "calibration: configured h (DetectionOptions.CusumThreshold)",
            configured,
            "h",
            calibrated is null ? null : $"≥ {calibrated:0.00}",
            calibrated is null ? null : configured >= calibrated));
        metrics.Add(new Metric("null: LMNS-years evaluated", nulls.LmnsYears, "yr"));
        metrics.Add(new Metric("null: trust-years evaluated", nulls.TrustYears, "yr"));
        metrics.Add(new Metric("time: detection trials", detectionSeconds, "s"));
        metrics.Add(new Metric("time: null data", nullSeconds, "s"));
        return Task.FromResult<IReadOnlyList<Metric>>(metrics);
    }

    private static string Label(DetectionRate rate) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(rate.IndicatorCode == "booking_by_10_weeks" ? "booking" : rate.IndicatorCode)} {(rate.Level == Level.Lmns ? "LMNS" : "trust")} r{rate.Ratio:0.0}");

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
