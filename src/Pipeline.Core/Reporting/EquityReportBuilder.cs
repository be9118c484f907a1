using Pipeline.Core.Alerts;
using Pipeline.Core.Publishing;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Core.Reporting;

/// <summary>
/// What the report is built from, whatever produced it: rows read from the SQL views, or the engine's output
/// (<see cref="FromDetection"/>). Rows for other organisations or periods are ignored by the builder.
/// </summary>
/// <param name="History">Monthly broad-group counts for the firing signals' trend charts; null draws no trends.</param>
/// <param name="FiringSince">When each firing alert started, by fingerprint (from the alert store); null when unknown.</param>
/// <param name="Firing">
/// The alerts firing at the period (<see cref="Alerts.Firing"/>, from the alert store): the report lists these, as
/// <c>pipeline alerts</c> and the emails do, including one in its quiet month. Null (no alert store, as when built from the
/// engine's output): the rows whose rule holds at the period.
/// </param>
public sealed record ReportSources(
    string LmnsCode,
    Period Period,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<ReportComparison> Comparisons,
    IReadOnlyList<ReportGradient> Gradients,
    IReadOnlyList<ReportDataQuality> DataQuality,
    IReadOnlyList<ReportSubmissionStatus> Submissions,
    CountStore? History = null,
    IReadOnlyDictionary<string, Period>? FiringSince = null,
    IReadOnlyList<FiringAlert>? Firing = null)
{
    /// <summary>
    /// Whose report this is: an LMNS (<see cref="LmnsCode"/> is the LMNS; its trusts are the members) or a region
    /// (<see cref="LmnsCode"/> is the region's code; its LMNSs are the members).
    /// </summary>
    public RoutingScope Scope { get; init; } = RoutingScope.Lmns;

    /// <summary>Sources from the engine's result; only the windows ending at <paramref name="period"/> are kept.</summary>
    public static ReportSources FromDetection(
        string lmnsCode, Period period, DateTimeOffset generatedAt, DetectionResult detection,
        IReadOnlyList<ReportSubmissionStatus> submissions, CountStore? history = null)
    {
        ArgumentNullException.ThrowIfNull(detection);
        return new ReportSources(
            lmnsCode, period, generatedAt,
            [.. detection.Comparisons.Where(c => c.PeriodEnd == period).Select(ReportComparison.From)],
            [.. detection.Gradients.Where(g => g.PeriodEnd == period).Select(ReportGradient.From)],
            [.. detection.DataQuality.Where(d => d.PeriodEnd == period).Select(ReportDataQuality.From)],
            submissions, history);
    }
}

/// <summary>Builds the report model for one LMNS and period: pure, so SQL rows and engine output give the same page.</summary>
public static class EquityReportBuilder
{
    public static EquityReportModel Build(ReportSources sources, ReferenceData reference, DetectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= DetectionOptions.Default;
        var period = sources.Period;
        var (subject, members) = Organisations(sources.Scope, sources.LmnsCode, period, reference);
        List<ReportOrganisation> organisations = [subject, .. members];
        var order = organisations.Select((o, i) => (o, i)).ToDictionary(x => (x.o.Level, x.o.Code), x => x.i);
        bool Covered(Level level, string code) => order.ContainsKey((level, code));
        int Rank(Level level, string code) => order[(level, code)];

        var comparisons = sources.Comparisons.Where(c => Covered(c.Level, c.OrganisationCode)).ToList();
        var gradients = sources.Gradients.Where(g => Covered(g.Level, g.OrganisationCode)).ToList();
        var quality = sources.DataQuality.Where(d => Covered(d.Level, d.OrganisationCode))
            .OrderBy(d => Rank(d.Level, d.OrganisationCode)).ThenBy(d => d.IndicatorCode, StringComparer.Ordinal).ThenBy(d => d.Breakdown)
            .ToList();
        var indicatorCodes = comparisons.Select(c => c.IndicatorCode).Concat(gradients.Select(g => g.IndicatorCode)).ToHashSet(StringComparer.Ordinal);
        var indicators = reference.Indicators.Where(i => indicatorCodes.Contains(i.Code)).Select(ReportIndicator.From).ToList();
        var indicatorRank = indicators.Select((x, i) => (x.Code, i)).ToDictionary(x => x.Code, x => x.i, StringComparer.Ordinal);

        ReportTrend? Trend(ReportComparison c) => sources.History is null ? null : LogRatioTrend(sources.History, c, period,
            options.For(c.IndicatorCode));
        var firing = sources.Firing is { } known
            ? FiringAlerts(known, comparisons, gradients, Trend)
            : comparisons.Where(c => Firing.RuleHolds(c.Signal))
                .Select(c => new ReportAlert(c.Level, c.OrganisationCode, c.IndicatorCode, c.Breakdown, c.GroupCode, c.Signal, c.Rule,
                    null, Trend(c)))
                .Concat(gradients.Where(g => Firing.RuleHolds(g.Signal))
                    .Select(g => new ReportAlert(g.Level, g.OrganisationCode, g.IndicatorCode, ComparisonBreakdown.ImdQuintile,
                        DeprivationGradient.GroupCode, g.Signal, SignalRule.Gradient, null, null)));
        var alerts = firing
            .Select(a => a.Since is null && sources.FiringSince is { } starts && starts.TryGetValue(a.Fingerprint, out var since)
                ? a with { Since = since }
                : a)
            .Select(a => sources.History is { } history ? a with { Monthly = ReportMonthly.From(history, a, period) } : a)
            .OrderByDescending(a => a.Severity).ThenBy(a => Rank(a.Level, a.OrganisationCode))
            .ThenBy(a => indicatorRank[a.IndicatorCode]).ThenBy(a => a.Breakdown).ThenBy(a => GroupRank(a.Breakdown, a.GroupCode))
            .ToList();

        var submissions = sources.Submissions.OrderBy(s => s.State == SubmissionState.OnTime).ThenBy(s => s.TrustName, StringComparer.Ordinal).ToList();
        return new EquityReportModel(sources.LmnsCode, subject.Name, period, sources.GeneratedAt, organisations, indicators,
            comparisons, gradients, alerts, quality, submissions)
        {
            Scope = sources.Scope,
        };
    }

    /// <summary>
    /// The report's subject and its members in display order: an LMNS and its trusts in the period, or a region and the
    /// LMNSs in force in it then (each LMNS rolls up its trusts, as the region rolls up its LMNSs).
    /// </summary>
    public static (ReportOrganisation Subject, IReadOnlyList<ReportOrganisation> Members) Organisations(
        RoutingScope scope, string code, Period period, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (scope == RoutingScope.Region)
        {
            var region = new ReportOrganisation(Level.Region, code, reference.FindRegion(code) is { } r ? $"{r.Name} region" : code);
            return (region, [.. LmnsInRegion(reference, code, period)
                .Select(l => new ReportOrganisation(Level.Lmns, l.Code, l.Name))
                .OrderBy(l => l.Name, StringComparer.Ordinal)]);
        }

        var lmns = new ReportOrganisation(Level.Lmns, code, reference.FindLmns(code, period)?.Name ?? code);
        return (lmns, [.. reference.TrustsInLmns(code, period)
            .Select(t => new ReportOrganisation(Level.Organisation, t, DisplayName(reference.FindTrust(t)?.Name ?? t)))
            .OrderBy(t => t.Name, StringComparer.Ordinal)]);
    }

    /// <summary>The LMNSs in force in <paramref name="period"/> that belong to the region.</summary>
    public static IEnumerable<Lmns> LmnsInRegion(ReferenceData reference, string regionCode, Period period)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.LmnsList.Where(l => l.RegionCode == regionCode && l.IsActiveIn(period))
            .DistinctBy(l => l.Code, StringComparer.Ordinal);
    }

    /// <summary>The trusts whose submissions a route's report lists: an LMNS's trusts, or every trust of the region's LMNSs.</summary>
    public static IReadOnlyList<string> TrustsOf(RoutingScope scope, string code, Period period, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return scope == RoutingScope.Region
            ? [.. LmnsInRegion(reference, code, period).SelectMany(l => reference.TrustsInLmns(l.Code, period)).Distinct(StringComparer.Ordinal)]
            : [.. reference.TrustsInLmns(code, period)];
    }

    /// <summary>
    /// The firing equity alerts (ratio, SPC, gradient) of the covered organisations that have a row at the period, with the
    /// alert's own severity and start: an alert in its quiet month is listed (its row's signal is then none).
    /// </summary>
    private static IEnumerable<ReportAlert> FiringAlerts(
        IReadOnlyList<FiringAlert> firing, List<ReportComparison> comparisons, List<ReportGradient> gradients, Func<ReportComparison,
            ReportTrend?> trend)
    {
        foreach (var alert in firing)
        {
            var (f, severity) = (alert.Fingerprint, alert.Severity == AlertSeverity.Alert ? Signal.Alert : Signal.Watch);
            if (f.Rule is AlertRule.Ratio or AlertRule.Spc && comparisons.FirstOrDefault(c => c.Level == f.Level
                && c.OrganisationCode == f.OrganisationCode
                    && c.IndicatorCode == f.IndicatorCode && c.Breakdown.ToWire() == f.Breakdown && c.GroupCode == f.GroupCode) is { } row)
            {
                yield return new ReportAlert(row.Level, row.OrganisationCode, row.IndicatorCode, row.Breakdown, row.GroupCode, severity,
                    f.Rule == AlertRule.Ratio ? SignalRule.Ratio : SignalRule.Spc, alert.Since, trend(row));
            }
            else if (f.Rule == AlertRule.Gradient && gradients.Any(g => g.Level == f.Level && g.OrganisationCode == f.OrganisationCode
                && g.IndicatorCode == f.IndicatorCode))
            {
                yield return new ReportAlert(f.Level, f.OrganisationCode, f.IndicatorCode, ComparisonBreakdown.ImdQuintile,
                    DeprivationGradient.GroupCode,
                    severity, SignalRule.Gradient, alert.Since, null);
            }
        }
    }

    /// <summary>Submission status of each trust of the LMNS: on time when accepted by the deadline, late after it, missing without one.</summary>
    /// <param name="acceptedAt">When each trust's current accepted submission for the period arrived.</param>
    public static IReadOnlyList<ReportSubmissionStatus> SubmissionStatuses(
        ReferenceData reference, string lmnsCode, Period period, IReadOnlyDictionary<string, DateTimeOffset> acceptedAt, DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return SubmissionStatuses(reference, [.. reference.TrustsInLmns(lmnsCode, period)], acceptedAt, deadline);
    }

    /// <summary>Submission status of each of <paramref name="trustCodes"/> (a region report lists every trust of the region).</summary>
    public static IReadOnlyList<ReportSubmissionStatus> SubmissionStatuses(
        ReferenceData reference, IReadOnlyList<string> trustCodes, IReadOnlyDictionary<string, DateTimeOffset> acceptedAt,
        DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(trustCodes);
        ArgumentNullException.ThrowIfNull(acceptedAt);
        return [.. trustCodes.Select(code =>
        {
            var name = DisplayName(reference.FindTrust(code)?.Name ?? code);
            return acceptedAt.TryGetValue(code, out var at)
                ? new ReportSubmissionStatus(code, name, at <= deadline ? SubmissionState.OnTime : SubmissionState.Late, at)
                : new ReportSubmissionStatus(code, name, SubmissionState.Missing, null);
        })];
    }

    /// <summary>
    /// ODS names are upper case ("MANCHESTER UNIVERSITY NHS FOUNDATION TRUST"); readers get title case with the usual
    /// acronyms and small words kept ("Manchester University NHS Foundation Trust"). Mixed-case names are left alone.
    /// </summary>
    public static string DisplayName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Any(char.IsLower))
        {
            return name;
        }

        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((word, i) => word switch
        {
            "NHS" or "LMNS" or "ICB" or "UK" => word,
            "AND" or "OF" or "THE" or "FOR" when i > 0 => word.ToLowerInvariant(),
            _ => string.Concat(word[..1], word[1..].ToLowerInvariant()),
        });
        return string.Join(' ', words);
    }

    internal static int GroupRank(ComparisonBreakdown breakdown, string groupCode)
    {
        var index = ComparisonGroups.All(breakdown).ToList().IndexOf(groupCode);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>
    /// The monthly ln(RR) series the SPC rule reads (docs/statistics.md §5), up to the period: months where both groups have a
    /// denominator, XmR limits fixed on the first baseline points (none when the series is shorter).
    /// </summary>
    private static ReportTrend? LogRatioTrend(CountStore history, ReportComparison c, Period period, DetectionOptions options)
    {
        if (history.Find(new SeriesKey(c.Level, c.OrganisationCode, c.IndicatorCode, c.Breakdown)) is not { } series)
        {
            return null;
        }

        var months = new List<Period>();
        var values = new List<double>();
        foreach (var month in series.Months.Where(m => m <= period))
        {
            var (a, nA) = series.Month(month, c.GroupCode)!.Value;
            var (b, nB) = series.Month(month, c.ReferenceGroupCode)!.Value;
            if (RiskRatio.PointEstimate(a, nA, b, nB) is { } ratio)
            {
                months.Add(month);
                values.Add(Math.Log(ratio));
            }
        }

        if (values.Count == 0)
        {
            return null;
        }

        var chart = XmrChart.Build(values, options.SpcBaselinePoints);
        // The SPC rule reads the true monthly series; what is drawn is published (docs/disclosure.md): a month whose counts
        // include a suppressed one (1–7) is left out, the others are drawn from the rounded counts. The limits summarise the
        // whole baseline and are drawn as computed.
        var points = new List<ReportTrendPoint>();
        for (var i = 0; i < months.Count; i++)
        {
            var (a, nA) = series.Month(months[i], c.GroupCode)!.Value;
            var (b, nB) = series.Month(months[i], c.ReferenceGroupCode)!.Value;
            if (Disclosure.Ratio(a, nA, b, nB) is { IsHidden: false, Value: { } published })
            {
                points.Add(new ReportTrendPoint(months[i], Math.Log(published), chart?.Points[i].Rule ?? SpecialCauseRule.None));
            }
        }

        return new ReportTrend(TrendMeasure.LogRateRatio, points, chart?.Limits);
    }
}
