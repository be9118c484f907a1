using Pipeline.Core.Model;

namespace Pipeline.Core.Detection.Evaluation;

/// <summary>How the detection-quality experiment is run: replicates, periods, planted ratios, indicators and levels.</summary>
public sealed record DetectionQualitySettings
{
    public ulong Seed { get; init; } = 2026;

    /// <summary>National synthetic datasets with one planted divergence per LMNS each (42 plants a dataset).</summary>
    public int DivergenceDatasets { get; init; } = 48;

    /// <summary>National datasets with nothing planted, for the false-alert rate.</summary>
    public int NullDatasets { get; init; } = 2;

    public Period Start { get; init; } = new(2023, 4);

    /// <summary>Months of history before onset (so the window ending just before onset is full of clean data).</summary>
    public int PreOnsetMonths { get; init; } = 12;

    /// <summary>Months after onset in which detection is looked for (the longest horizon).</summary>
    public int FollowUpMonths { get; init; } = 24;

    /// <summary>The shorter horizon: detected when an alert occurs at a period ending within this many months of data from onset.</summary>
    public int EarlyMonths { get; init; } = 6;

    /// <summary>The middle horizon (a year of divergent data).</summary>
    public int MidMonths { get; init; } = 12;

    /// <summary>CUSUM thresholds h the null data are swept over to calibrate <see cref="DetectionOptions.CusumThreshold"/>.</summary>
    public IReadOnlyList<double> CusumThresholds { get; init; } = [.. Enumerable.Range(0, 29).Select(i => 4.0 + (i * 0.25))];

    /// <summary>
    /// The calibration target: new alerts about an LMNS per LMNS-year on null data, all rules together. Below the issue's
    /// ≤ 1 to leave room for the sampling error of 168 null LMNS-years.
    /// </summary>
    public double CalibrationTarget { get; init; } = 0.9;

    /// <summary>Months evaluated on null data (after <see cref="PreOnsetMonths"/> of warm-up).</summary>
    public int NullEvaluatedMonths { get; init; } = 24;

    public IReadOnlyList<double> Ratios { get; init; } = [1.5, 2.0, 3.0];

    /// <summary>A common indicator (higher is better, so the planted rate is lower) and a rare one.</summary>
    public IReadOnlyList<string> Indicators { get; init; } = ["booking_by_10_weeks", "stillbirth"];

    public IReadOnlyList<Level> Levels { get; init; } = [Level.Organisation, Level.Lmns];

    /// <summary>Indicators simulated for the null data (null: the whole catalogue, as a region would run it).</summary>
    public IReadOnlyList<string>? NullIndicators { get; init; }

    public DetectionOptions Options { get; init; } = DetectionOptions.Default;
}
