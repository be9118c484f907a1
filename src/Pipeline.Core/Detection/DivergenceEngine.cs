using System.Globalization;
using Pipeline.Core.Model;
using Pipeline.Core.Publishing;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Detection;

/// <summary>
/// The pure comparison engine (docs/statistics.md §2–§6): for each series and window, every group against its reference with
/// Wilson values, Katz risk ratios at 95% and 99.8%, the SPC check on the monthly ln(RR) series, the data-quality gate,
/// and for IMD the deprivation gradient. No I/O: the caller supplies counts and stores the rows.
/// </summary>
public sealed class DivergenceEngine
{
    private readonly ReferenceData _reference;
    private readonly DetectionOptions _options;

    public DivergenceEngine(ReferenceData reference, DetectionOptions? options = null)
    {
        _reference = reference ?? throw new ArgumentNullException(nameof(reference));
        _options = options ?? DetectionOptions.Default;
    }

    public DetectionOptions Options => _options;

    /// <summary>Every series of every organisation in <paramref name="store"/> at the window ending at <paramref name="periodEnd"/>.</summary>
    public DetectionResult EvaluateAll(CountStore store, Period periodEnd)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Collect(store.Series.Select(s => EvaluateSeries(s, periodEnd)));
    }

    /// <summary>The windows a change touches (see <see cref="RecomputeScope"/>): every series of each organisation at each period.</summary>
    public DetectionResult Evaluate(CountStore store, IEnumerable<WindowKey> windows)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(windows);
        return Collect(windows.SelectMany(w => store.SeriesFor(w.Level, w.OrganisationCode).Select(s => EvaluateSeries(s, w.PeriodEnd))));
    }

    /// <summary>One series at the window ending at <paramref name="periodEnd"/>; empty when the window has no data.</summary>
    /// <param name="withGradient">
    /// False skips the deprivation gradient (its simulation is most of the cost): for re-evaluating a later period whose window
    /// counts did not change but whose SPC check may have, where only the comparisons are rewritten.
    /// </param>
    public SeriesEvaluation EvaluateSeries(CountSeries series, Period periodEnd, bool withGradient = true)
    {
        ArgumentNullException.ThrowIfNull(series);
        var key = series.Key;
        var indicator = _reference.FindIndicator(key.IndicatorCode)
            ?? throw new ArgumentException($"Indicator '{key.IndicatorCode}' is not in the catalogue.", nameof(series));
        var options = _options.For(indicator.Code);
        var windowMonths = options.WindowMonths ?? indicator.WindowMonths;
        var window = series.Window(periodEnd, windowMonths);
        if (window.MonthsPresent == 0)
        {
            return new SeriesEvaluation([], null, null);
        }

        var dataQuality = DataQualityGate(key, window, options);
        var inhibitedReason = dataQuality?.Message;
        var canSignal = window.MonthsPresent >= options.MinimumMonthsPresent(windowMonths) && inhibitedReason is null;

        // Rare events (docs/detection.md, "Rare outcomes"): groups are compared over the longer pooled window, which may signal once it
        // holds as many months as the catalogue's window needs; gradients and the data-quality gate keep the catalogue's.
        var rare = indicator.RareEvent && options.WindowMonths is null && options.RareEventWindowMonths > windowMonths;
        var comparisonWindow = rare ? series.Window(periodEnd, options.RareEventWindowMonths) : window;
        var comparisonsCanSignal = rare
            ? comparisonWindow.MonthsPresent >= options.MinimumMonthsPresent(windowMonths) && inhibitedReason is null
            : canSignal;
        var cusum = indicator.RareEvent && options.Cusum && indicator.Polarity == Polarity.HigherIsWorse;
        var referenceGroup = ComparisonGroups.ReferenceGroup(key.Breakdown);
        var (b, nB) = comparisonWindow[referenceGroup];
        var referenceValue = IndicatorValue.Proportion(b, nB, indicator.Multiplier);

        var comparisons = new List<GroupComparison>();
        foreach (var group in ComparisonGroups.Compared(key.Breakdown))
        {
            var (a, nA) = comparisonWindow[group];
            if (nA == 0)
            {
                continue;
            }

            var value = IndicatorValue.Proportion(a, nA, indicator.Multiplier)!;
            var rr = RiskRatio.Compute(a, nA, b, nB);
            var direction = rr is null ? Direction.None : DirectionOf(rr.Ratio, indicator.Polarity);
            var ratioAlert = rr is not null && RatioRuleHolds(rr, CiAt(rr, options.AlertConfidence), direction, a, b, options, indicator.Polarity);
            var ratioWatch = rr is not null && RatioRuleHolds(rr, CiAt(rr, options.WatchConfidence), direction, a, b, options, indicator.Polarity);
            var (spc, spcConcern) = options.SpcWatch ? SpcOfLatestPoint(series, group, referenceGroup, periodEnd, indicator.Polarity, options) : (SpecialCauseRule.None, false);
            double? cusumStatistic = cusum && b > 0
                ? Cusum(series, group, comparisonWindow, (double)b / nB, options.CusumDesignRatio)
                : null;
            var cusumAlert = cusumStatistic >= options.CusumThreshold && a >= options.MinimumEvents && b >= options.MinimumEvents;
            var (signal, rule) = !comparisonsCanSignal ? (Signal.None, SignalRule.None)
                : ratioAlert ? (Signal.Alert, SignalRule.Ratio)
                : cusumAlert ? (Signal.Alert, SignalRule.Cusum)
                : ratioWatch ? (Signal.Watch, SignalRule.Ratio)
                : spcConcern ? (Signal.Watch, SignalRule.Spc)
                : (Signal.None, SignalRule.None);
            comparisons.Add(new GroupComparison(
                key.Level, key.OrganisationCode, key.IndicatorCode, key.Breakdown, group, referenceGroup,
                comparisonWindow.WindowMonths, periodEnd,
                comparisonWindow.MonthsPresent, a, nA, value.Value, value.Ci95.Lower, value.Ci95.Upper, b, nB, referenceValue?.Value,
                rr?.Ratio, rr?.Ci95.Lower, rr?.Ci95.Upper, rr?.Ci998.Lower, rr?.Ci998.Upper,
                referenceValue is null ? null : value.Value - referenceValue.Value, rr?.Corrected ?? false,
                direction, signal, rule, spc, spcConcern, inhibitedReason)
            {
                Detectable = rr is null ? null : new DetectableRatio(MinimumDetectableRatio.Compute(
                    nA, b, nB, indicator.Polarity == Polarity.HigherIsBetter,
                    options.AlertConfidence, options.MaterialRatio, options.MinimumEvents)),
                Cusum = cusumStatistic,
                CusumThreshold = cusum ? options.CusumThreshold : null,
            });
        }

        var gradient = withGradient && key.Breakdown == ComparisonBreakdown.ImdQuintile
            ? Gradient(key, indicator, window, options, canSignal, inhibitedReason)
            : null;
        return new SeriesEvaluation(comparisons, gradient, dataQuality);
    }

    /// <summary>
    /// The Poisson CUSUM (docs/detection.md, "Rare outcomes") of the group's monthly events over the pooled window's months with data, each
    /// month's expected count being the group's denominator × the reference group's pooled rate over the same window; the
    /// statistic after the window's last month. Recomputed from the window's start at every period, so it depends only on
    /// the window's counts (a recompute gives the same value) and an episode ends once its months leave the window.
    /// </summary>
    private static double Cusum(CountSeries series, string group, WindowCounts window, double referenceRate, double designRatio)
    {
        var s = 0.0;
        var start = window.PeriodEnd.AddMonths(1 - window.WindowMonths);
        for (var month = start; month <= window.PeriodEnd; month = month.AddMonths(1))
        {
            if (series.Month(month, group) is { } counts)
            {
                s = PoissonCusum.Step(s, counts.Numerator, counts.Denominator * referenceRate, designRatio);
            }
        }

        return s;
    }

    /// <summary>worse/better from the indicator's polarity; neutral indicators are "different" either way.</summary>
    public static Direction DirectionOf(double ratio, Polarity polarity)
    {
        if (ratio == 1 || double.IsNaN(ratio))
        {
            return Direction.None;
        }

        return polarity switch
        {
            Polarity.HigherIsWorse => ratio > 1 ? Direction.Worse : Direction.Better,
            Polarity.HigherIsBetter => ratio < 1 ? Direction.Worse : Direction.Better,
            _ => Direction.Different,
        };
    }

    /// <summary>The ratio's interval at a rule's confidence (the stored 95% and 99.8% ones unless a region configured another).</summary>
    private static Interval CiAt(RiskRatio rr, double confidence) => confidence switch
    {
        Confidence.Warning => rr.Ci95,
        Confidence.Alarm => rr.Ci998,
        _ => RiskRatio.LogInterval(rr.Ratio, rr.StandardErrorOfLog, confidence),
    };

    private static bool RatioRuleHolds(RiskRatio rr, Interval ci, Direction direction, long a, long b, DetectionOptions options, Polarity polarity)
    {
        if (direction is not (Direction.Worse or Direction.Different) || !ci.Excludes(1) || a < options.MinimumEvents || b < options.MinimumEvents)
        {
            return false;
        }

        var higher = rr.Ratio >= options.MaterialRatio;
        var lower = rr.Ratio <= 1 / options.MaterialRatio;
        return polarity switch
        {
            Polarity.HigherIsWorse => higher,
            Polarity.HigherIsBetter => lower,
            _ => higher || lower,
        };
    }

    private static DataQualityFinding? DataQualityGate(SeriesKey key, WindowCounts window, DetectionOptions options)
    {
        var total = window.TotalDenominator;
        var unknownGroup = ComparisonGroups.UnknownGroup(key.Breakdown);
        var unknown = window[unknownGroup].Denominator;
        var threshold = key.Breakdown == ComparisonBreakdown.EthnicGroup ? options.UnknownEthnicityThreshold : options.UnknownImdThreshold;
        if (total == 0 || (double)unknown / total <= threshold)
        {
            return null;
        }

        var share = (double)unknown / total;

        var message = DataQualityText.Sentence(key.Breakdown, unknown, total, window.WindowMonths, threshold);
        return new DataQualityFinding(key.Level, key.OrganisationCode, key.IndicatorCode, key.Breakdown, window.WindowMonths, window.PeriodEnd, unknown, total, share, threshold, message);
    }

    /// <summary>
    /// The XmR check on the monthly ln(RR) series up to the period (months where both groups have a denominator): the rule
    /// the latest point meets, and whether it points the worse way. Needs data at the period itself and a full baseline.
    /// </summary>
    private static (SpecialCauseRule Rule, bool Concern) SpcOfLatestPoint(
        CountSeries series, string group, string referenceGroup, Period periodEnd, Polarity polarity, DetectionOptions options)
    {
        if (!series.HasMonth(periodEnd))
        {
            return (SpecialCauseRule.None, false);
        }

        // Only the baseline's points and the last run's length of points decide the latest point (XmrChart.LatestPoint);
        // read straight from the month arrays, without lists, as this runs for every comparison of every month (#18).
        var groups = series.Groups.Count;
        var g = series.IndexOf(group);
        var r = series.IndexOf(referenceGroup);
        bool LogRatio(long[] counts, out double value)
        {
            if (RiskRatio.PointEstimate(counts[g], counts[groups + g], counts[r], counts[groups + r]) is { } ratio)
            {
                value = Math.Log(ratio);
                return true;
            }

            value = 0;
            return false;
        }

        var end = series.MonthIndex(periodEnd);
        var baselinePoints = Math.Max(0, options.SpcBaselinePoints);
        var first = baselinePoints <= 64 ? stackalloc double[baselinePoints] : new double[baselinePoints];
        var firstCount = 0;
        for (var i = 0; i <= end && firstCount < baselinePoints; i++)
        {
            if (LogRatio(series.CountsAt(i), out var value))
            {
                first[firstCount++] = value;
            }
        }

        // The last run's points, filled from the end.
        Span<double> last = stackalloc double[SpecialCauseRules.RunLength];
        var lastStart = last.Length;
        for (var i = end; i >= 0 && lastStart > 0; i--)
        {
            if (LogRatio(series.CountsAt(i), out var value))
            {
                last[--lastStart] = value;
            }
            else if (i == end)
            {
                return (SpecialCauseRule.None, false);
            }
        }

        if (XmrChart.LatestPoint(first[..firstCount], last[lastStart..], options.SpcBaselinePoints) is not { } latest)
        {
            return (SpecialCauseRule.None, false);
        }

        var worseSide = polarity switch
        {
            Polarity.HigherIsWorse => latest.Side == SpecialCauseSide.High,
            Polarity.HigherIsBetter => latest.Side == SpecialCauseSide.Low,
            _ => latest.Side != SpecialCauseSide.None,
        };
        return (latest.Rule, latest.IsSpecialCause && worseSide);
    }

    private static DeprivationGradient Gradient(
        SeriesKey key, Indicator indicator, WindowCounts window, DetectionOptions options, bool canSignal, string? inhibitedReason)
    {
        DeprivationGradient NoGradient() => new(
            key.Level, key.OrganisationCode, key.IndicatorCode, window.WindowMonths, window.PeriodEnd, window.MonthsPresent,
            null, null, null, null, null, null, Signal.None, inhibitedReason);

        var quintiles = new List<SiiQuantile>();
        foreach (var q in ComparisonGroups.Quintiles)
        {
            var (x, n) = window[q];
            if (n == 0)
            {
                return NoGradient();
            }

            var ci = WilsonScore.Interval(x, n, Confidence.Warning)!.Value;
            quintiles.Add(new SiiQuantile(n, (double)x / n, WilsonScore.StandardErrorFrom95(ci)));
        }

        // PHE's multiplier sign orients the indices: fitted(least)/fitted(most) is < 1 when the most deprived have the
        // higher rate, so a negative multiplier (higher is worse, and neutral by convention) makes RII > 1, SII > 0 mean
        // "most deprived fare worse"; for higher-is-better indicators the positive multiplier already does.
        var sign = indicator.Polarity == Polarity.HigherIsBetter ? 1 : -1;
        double[] levels = [Confidence.Warning, Confidence.Alarm, options.GradientWatchConfidence, options.GradientConfidence];
        var result = SlopeIndexOfInequality.Compute(
            quintiles,
            new SiiOptions(SiiValueType.Normal, Transform: false, Multiplier: sign * indicator.Multiplier, [.. levels.Distinct()], options.GradientDraws, options.GradientSeed));

        // A fitted rate at or below zero at either end (a straight line through rare, noisy quintiles) makes the ratio of
        // the ends meaningless: the SII still describes the slope, but there is no RII and no gradient signal.
        if (result is null || !double.IsFinite(result.Sii))
        {
            return NoGradient();
        }

        SiiLimits At(double confidence) => result.Limits.First(l => l.Confidence == confidence);
        var shown = At(Confidence.Warning);
        var stored998 = At(Confidence.Alarm);
        var hasRii = double.IsFinite(result.Rii) && result.Rii > 0;
        bool Holds(SiiLimits limits) => hasRii && (
            (limits.Rii.Lower > 1 && result.Rii >= options.GradientMaterialRii) ||
            (indicator.Polarity == Polarity.Neutral && limits.Rii.Upper < 1 && result.Rii <= 1 / options.GradientMaterialRii));
        var signal = !canSignal ? Signal.None
            : Holds(At(options.GradientConfidence)) ? Signal.Alert
            : Holds(At(options.GradientWatchConfidence)) ? Signal.Watch
            : Signal.None;
        return new DeprivationGradient(key.Level, key.OrganisationCode, key.IndicatorCode, window.WindowMonths, window.PeriodEnd,
            window.MonthsPresent, result.Sii, shown.Sii.Lower, shown.Sii.Upper,
            hasRii ? result.Rii : null, hasRii ? shown.Rii.Lower : null, hasRii ? shown.Rii.Upper : null, signal, inhibitedReason)
        {
            RiiCiLower998 = hasRii ? stored998.Rii.Lower : null,
            RiiCiUpper998 = hasRii ? stored998.Rii.Upper : null,
        };
    }

    private static DetectionResult Collect(IEnumerable<SeriesEvaluation> evaluations)
    {
        var comparisons = new List<GroupComparison>();
        var gradients = new List<DeprivationGradient>();
        var quality = new List<DataQualityFinding>();
        foreach (var e in evaluations)
        {
            comparisons.AddRange(e.Comparisons);
            if (e.Gradient is not null)
            {
                gradients.Add(e.Gradient);
            }

            if (e.DataQuality is not null)
            {
                quality.Add(e.DataQuality);
            }
        }

        return new DetectionResult(comparisons, gradients, quality);
    }
}
