using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Statistics;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Tests.Reporting;

/// <summary>A small, fixed report model written by hand: an LMNS with two trusts, two indicators, every kind of cell.</summary>
internal static class ReportExamples
{
    public static readonly Period October = new(2026, 10);

    public static readonly ReportIndicator Stillbirth = new(
        "stillbirth", "Stillbirths per 1,000 total births (≥24+0 weeks)", 1000, Polarity.HigherIsWorse)
    {
        RareEvent = true,
    };

    public static readonly ReportIndicator Booking = new("booking_by_10_weeks", "Antenatal booking by 10+0 weeks (%)", 100, Polarity.HigherIsBetter);

    /// <summary>
    /// 24 months of Black and White booking counts ending October 2026: Black around 40% with one unusually high month
    /// (2026-07) and an unusually low latest month; White steady around 66%.
    /// </summary>
    public static readonly IReadOnlyList<ReportMonth> BookingMonths = [.. Enumerable.Range(0, 24).Select(i =>
    {
        var n = 80 + (5 * (i % 4));
        var share = i == 20 ? 0.62 : i == 23 ? 0.22 : 0.40 + (0.03 * Math.Sin(i));
        var white = 440 + (10 * (i % 3));
        return new ReportMonth(October.AddMonths(i - 23), (long)Math.Round(n * share), n, (long)Math.Round(white * 0.66), white);
    })];

    /// <summary>
    /// 24 months of Black and White stillbirths at one trust: 1 or 2 a month among ~85 Black births (about 16 a year), 4 or 5
    /// among 975 White.
    /// </summary>
    public static readonly IReadOnlyList<ReportMonth> StillbirthMonths = [.. Enumerable.Range(0, 24).Select(i =>
        new ReportMonth(October.AddMonths(i - 23), 1 + (i % 3 == 0 ? 1 : 0), 85 + (i % 3), i % 2 == 0 ? 4 : 5, 975))];

    public static EquityReportModel Fixed()
    {
        ReportOrganisation lmns = new(Level.Lmns, "QOP", "Greater Manchester LMNS");
        ReportOrganisation mft = new(Level.Organisation, "R0A", "Manchester University NHS Foundation Trust");
        ReportOrganisation bolton = new(Level.Organisation, "RMC", "Bolton NHS Foundation Trust");
        List<ReportComparison> comparisons =
        [
            // The LMNS: Black women book late (alert), Asian stillbirth ratio raised (watch), small Mixed counts (suppressed rates).
            BookingRow(Level.Lmns, "QOP", ComparisonBreakdown.EthnicGroup, "Black", 410, 1000, 41.0, 0.62, Signal.Alert, SignalRule.Ratio),
            BookingRow(Level.Lmns, "QOP", ComparisonBreakdown.EthnicGroup, "Asian", 1240, 2000, 62.0, 0.94, Signal.None, SignalRule.None),
            BookingRow(Level.Lmns, "QOP", ComparisonBreakdown.EthnicGroup, "Mixed", 330, 500, 66.0, 1.0, Signal.None, SignalRule.None),
            BookingRow(Level.Lmns, "QOP", ComparisonBreakdown.ImdQuintile, "1", 1100, 2000, 55.0, 0.83, Signal.Watch, SignalRule.Ratio),
            BookingRow(Level.Lmns, "QOP", ComparisonBreakdown.ImdQuintile, "3", 700, 1100, 63.6, 0.96, Signal.None, SignalRule.None),
            StillRow(Level.Lmns, "QOP", ComparisonBreakdown.EthnicGroup, "Asian", 22, 3100, 1.58, Signal.Watch, SignalRule.Spc),
            StillRow(Level.Lmns, "QOP", ComparisonBreakdown.EthnicGroup, "Mixed", 3, 610, 1.10, Signal.None, SignalRule.None),
            StillRow(Level.Lmns, "QOP", ComparisonBreakdown.ImdQuintile, "1", 30, 4200, 1.60, Signal.None, SignalRule.None),

            // A trust: a large Black stillbirth gap (alert), one group inhibited by poor IMD recording.
            StillRow(Level.Organisation, "R0A", ComparisonBreakdown.EthnicGroup, "Black", 19, 1020, 2.66, Signal.Alert, SignalRule.Ratio),
            StillRow(Level.Organisation, "R0A", ComparisonBreakdown.ImdQuintile, "2", 9, 1500, 0.86, Signal.None, SignalRule.None) with
            {
                InhibitedReason = "IMD not assignable (U) for 14.0% of the 12-month window's denominator (980 of 7000), above the 10% threshold: deprivation signals are inhibited until recording improves.",
            },
            BookingRow(Level.Organisation, "RMC", ComparisonBreakdown.EthnicGroup, "Black", 5, 12, 41.7, 0.65, Signal.None, SignalRule.None),
        ];
        List<ReportGradient> gradients =
        [
            new(Level.Lmns, "QOP", "booking_by_10_weeks", 12, 14.2, 9.8, 18.9, 1.27, 1.17, 1.38, Signal.Alert, null),
            new(Level.Lmns, "QOP", "stillbirth", 12, 2.1, -0.4, 4.6, 1.45, 0.9, 2.3, Signal.None, null),
        ];
        ReportTrendPoint[] points = [.. Enumerable.Range(0, 18).Select(i => new ReportTrendPoint(
            October.AddMonths(i - 17),
            Math.Log(i < 12 ? 1.0 + (0.08 * Math.Sin(i)) : 1.30 + (0.02 * i)),
            i >= 15 ? SpecialCauseRule.OutsideLimits : i >= 12 ? SpecialCauseRule.Shift : SpecialCauseRule.None))];
        var limits = new XmrLimits(0.0, 0.06, -0.1596, 0.1596);
        List<ReportAlert> alerts =
        [
            new(Level.Lmns, "QOP", "booking_by_10_weeks", ComparisonBreakdown.EthnicGroup, "Black", Signal.Alert, SignalRule.Ratio, new Period(2026, 7),
                new ReportTrend(TrendMeasure.LogRateRatio, [.. points.Select(p => p with { Value = -p.Value })], limits))
            {
                Monthly = BookingMonths,
            },
            new(Level.Lmns, "QOP", "booking_by_10_weeks", ComparisonBreakdown.ImdQuintile, DeprivationGradient.GroupCode, Signal.Alert, SignalRule.Gradient, null, null),
            new(Level.Organisation, "R0A", "stillbirth", ComparisonBreakdown.EthnicGroup, "Black", Signal.Alert, SignalRule.Ratio, new Period(2026, 9),
                new ReportTrend(TrendMeasure.LogRateRatio, points, limits))
            {
                Monthly = StillbirthMonths,
            },
            new(Level.Lmns, "QOP", "booking_by_10_weeks", ComparisonBreakdown.ImdQuintile, "1", Signal.Watch, SignalRule.Ratio, null, null),
            new(Level.Lmns, "QOP", "stillbirth", ComparisonBreakdown.EthnicGroup, "Asian", Signal.Watch, SignalRule.Spc, null,
                new ReportTrend(TrendMeasure.LogRateRatio, [.. points.Take(10)], null)),
        ];
        List<ReportDataQuality> quality = [new(Level.Organisation, "R0A", "stillbirth", ComparisonBreakdown.ImdQuintile, 980, 7000, 0.14, 0.10)];
        List<ReportSubmissionStatus> submissions =
        [
            new("RMC", "Bolton NHS Foundation Trust", SubmissionState.Missing, null),
            new("R0A", "Manchester University NHS Foundation Trust", SubmissionState.OnTime, new DateTimeOffset(2026, 11, 12, 9, 30, 0, TimeSpan.Zero)),
        ];
        return new EquityReportModel("QOP", "Greater Manchester LMNS", October, new DateTimeOffset(2026, 11, 20, 7, 0, 0, TimeSpan.Zero),
            [lmns, mft, bolton], [Stillbirth, Booking], comparisons, gradients, alerts, quality, submissions);
    }

    private static ReportComparison StillRow(Level level, string org, ComparisonBreakdown breakdown, string group, long n, long d, double rr, Signal signal, SignalRule rule) =>
        Row(Stillbirth, level, org, breakdown, group, n, d, 1000.0 * n / d, 4.1, 48, 11700, rr, rule == SignalRule.Spc ? Direction.Worse : rr > 1 ? Direction.Worse : Direction.Better, signal, rule);

    private static ReportComparison BookingRow(Level level, string org, ComparisonBreakdown breakdown, string group, long n, long d, double value, double rr, Signal signal, SignalRule rule) =>
        Row(Booking, level, org, breakdown, group, n, d, value, 66.0, 5280, 8000, rr, rr < 1 ? Direction.Worse : rr > 1 ? Direction.Better : Direction.None, signal, rule);

    private static ReportComparison Row(
        ReportIndicator indicator, Level level, string org, ComparisonBreakdown breakdown, string group, long n, long d, double value,
        double referenceValue, long referenceN, long referenceD, double rr, Direction direction, Signal signal, SignalRule rule) =>
        new(level, org, indicator.Code, breakdown, group, ComparisonGroups.ReferenceGroup(breakdown), 12, n, d, value, value * 0.8, value * 1.2,
            referenceN, referenceD, referenceValue, rr, rr * 0.85, rr * 1.18, rr * 0.75, rr * 1.33, direction, signal, rule, null)
        {
            // As the engine stores it: from the raw counts (the report republishes it from the rounded ones).
            Detectable = new DetectableRatio(MinimumDetectableRatio.Compute(
                d, referenceN, referenceD, indicator.Polarity == Polarity.HigherIsBetter, Confidence.Alarm, 1.25, 5)),
        };
}
