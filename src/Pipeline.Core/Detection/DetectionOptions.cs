using Pipeline.Core.Statistics;

namespace Pipeline.Core.Detection;

/// <summary>The divergence rules' thresholds (docs/statistics.md §4–§6). Defaults are the design's; each can be set per indicator.</summary>
public sealed record DetectionOptions
{
    public static DetectionOptions Default { get; } = new();

    /// <summary>The RR CI that must exclude 1 for an alert. Default 99.8%.</summary>
    public double AlertConfidence { get; init; } = Confidence.Alarm;

    /// <summary>The RR CI that must exclude 1 for a watch. Default 95%.</summary>
    public double WatchConfidence { get; init; } = Confidence.Warning;

    /// <summary>Materiality: RR ≥ this (or ≤ its inverse when lower is worse). Default 1.25.</summary>
    public double MaterialRatio { get; init; } = 1.25;

    /// <summary>Both numerators (group and reference) must reach this. Default 5.</summary>
    public long MinimumEvents { get; init; } = 5;

    /// <summary>A window with fewer than this share of its months present is computed but never signals. Default 3/4.</summary>
    public double MinimumMonthsPresentShare { get; init; } = 0.75;

    /// <summary>Z + 99 above this share of the window's denominator inhibits ethnicity signals. Default 10%.</summary>
    public double UnknownEthnicityThreshold { get; init; } = 0.10;

    /// <summary>IMD U above this share of the window's denominator inhibits IMD signals. Default 10%.</summary>
    public double UnknownImdThreshold { get; init; } = 0.10;

    /// <summary>A special cause in the worse direction on the monthly ln(RR) series raises a watch. Default on.</summary>
    public bool SpcWatch { get; init; } = true;

    /// <summary>XmR limits are fixed on this many first points; fewer points give no SPC signal. Default 12.</summary>
    public int SpcBaselinePoints { get; init; } = 12;

    /// <summary>
    /// The RII CI that must exclude 1 in the worse direction for a gradient alert. Default 99.8%, the same alarm level as
    /// the ratio rule: at the design's 95% the gradient rule alone raised 0.67 false alerts per LMNS per year on null data
    /// (1.23 in all; docs/detection.md, "Gradient at 99.8%"), so the 95% level raises a gradient watch instead.
    /// </summary>
    public double GradientConfidence { get; init; } = Confidence.Alarm;

    /// <summary>The RII CI that must exclude 1 in the worse direction for a gradient watch. Default 95%.</summary>
    public double GradientWatchConfidence { get; init; } = Confidence.Warning;

    /// <summary>Gradient materiality: oriented RII ≥ this. Default 1.25.</summary>
    public double GradientMaterialRii { get; init; } = 1.25;

    /// <summary>Monte-Carlo draws for the SII/RII limits (at least 10,000).</summary>
    public int GradientDraws { get; init; } = 10_000;

    /// <summary>Fixed seed for the SII/RII simulation, so a re-run gives the same limits.</summary>
    public ulong GradientSeed { get; init; } = 20_240_601;

    /// <summary>
    /// Rare-event indicators (the catalogue's <c>rare_event</c> flag) compare groups over this longer pooled window
    /// (statistics.md §4; MBRRACE-UK pools 3–5 years). It signals once it holds ¾ of the catalogue's window (9 of 12
    /// months), so a new deployment is not silent for 27 months. Gradients and the data-quality gate keep the catalogue's
    /// window. Default 36; ignored when <see cref="WindowMonths"/> is set.
    /// </summary>
    public int RareEventWindowMonths { get; init; } = 36;

    /// <summary>The sequential test on rare-event indicators (docs/detection.md, "Rare outcomes"): a Poisson CUSUM per group. Default
    /// on.</summary>
    public bool Cusum { get; init; } = true;

    /// <summary>The rate ratio the CUSUM is designed to detect (its log-likelihood ratio is for this shift). Default 2.</summary>
    public double CusumDesignRatio { get; init; } = 2.0;

    /// <summary>
    /// The CUSUM's decision interval h (log-likelihood-ratio units): an alert when the statistic reaches it. Calibrated by
    /// simulation: the smallest h (in steps of 0.25) at which everything alerted about an LMNS on null data (ratio, CUSUM and
    /// gradient alerts of every indicator and group, as the alert lifecycle opens them) is at most 0.9 per LMNS-year, a
    /// margin of two standard errors under the target of 1 (docs/detection.md, "Calibrating h"). Re-derive it with
    /// <c>bash bench/run.sh detection-quality</c> (504 null LMNS-years; the "calibration:" rows) after any change to the rules.
    /// </summary>
    public double CusumThreshold { get; init; } = CalibratedCusumThreshold;

    /// <summary>The value <see cref="CusumThreshold"/> was calibrated to (2026-12, 504 null LMNS-years: 0.89 alerts per
    /// LMNS-year).</summary>
    public const double CalibratedCusumThreshold = 9.0;

    /// <summary>Overrides the catalogue's window length when set.</summary>
    public int? WindowMonths { get; init; }

    /// <summary>Options for particular indicators (by code), replacing these ones for that indicator.</summary>
    public IReadOnlyDictionary<string, DetectionOptions> PerIndicator { get; init; } = new Dictionary<string, DetectionOptions>();

    public DetectionOptions For(string indicatorCode) => PerIndicator.GetValueOrDefault(indicatorCode) ?? this;

    /// <summary>The fewest months that must have data for a window of <paramref name="windowMonths"/> to signal.</summary>
    public int MinimumMonthsPresent(int windowMonths) => (int)Math.Ceiling(windowMonths * MinimumMonthsPresentShare - 1e-9);
}
