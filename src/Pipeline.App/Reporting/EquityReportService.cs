using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Reporting;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;

namespace Pipeline.App.Reporting;

/// <summary>
/// Builds a route's static HTML equity report from the store: an LMNS's (the LMNS and its trusts) or a region's (the
/// region roll-up and its LMNSs) comparisons, gradients and data-quality findings at the period, the monthly history
/// behind each firing signal's trend chart, and the submission status of the trusts it covers. Publishing is
/// <see cref="ReportPublisher"/>'s.
/// </summary>
public sealed class EquityReportService(ReferenceData reference, IPipelineStore store, IObjectStore objects, TimeProvider time)
{
    /// <summary>How far back trend charts reach (enough for the SPC baseline and a year of signal).</summary>
    public const int HistoryMonths = 36;

    /// <summary>The key an LMNS's report for the period is published at (<see cref="ReportAddress.Key"/>).</summary>
    public static string ReportKey(string lmnsCode, Period period) => ReportAddress.Key(new AlertRoute(RoutingScope.Lmns, lmnsCode), period);

    public Task<EquityReportModel> BuildAsync(string lmnsCode, Period period, CancellationToken cancellationToken) =>
        BuildAsync(new AlertRoute(RoutingScope.Lmns, lmnsCode), period, cancellationToken);

    /// <summary>The report model of an LMNS or a region for the windows ending at <paramref name="period"/>.</summary>
    /// <exception cref="ArgumentException">The code is not an LMNS (a region) of the reference data in that period.</exception>
    public async Task<EquityReportModel> BuildAsync(AlertRoute route, Period period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        var region = route.Scope == RoutingScope.Region;
        if (region ? reference.FindRegion(route.Code) is null : reference.FindLmns(route.Code, period) is null)
        {
            throw new ArgumentException(region
                ? $"'{route.Code}' is not an NHS England region in the reference data; region codes are like Y62 (North West) or Y56 (London)."
                : $"'{route.Code}' is not an LMNS in the reference data for {period}; LMNS codes are ICB ODS codes such as QMF or QKK.",
                nameof(route));
        }

        var (subject, members) = EquityReportBuilder.Organisations(route.Scope, route.Code, period, reference);
        List<(Level Level, string Code)> units = [(subject.Level, subject.Code), .. members.Select(m => (m.Level, m.Code))];
        var (comparisons, gradients, quality) = await EquityReportQueries.LoadAsync(store, units, period, cancellationToken).ConfigureAwait(false);
        var trusts = EquityReportBuilder.TrustsOf(route.Scope, route.Code, period, reference);
        var statuses = await store.GetSubmissionStatusAsync(period, cancellationToken).ConfigureAwait(false);
        var covered = statuses.Where(s => trusts.Contains(s.OrganisationCode, StringComparer.Ordinal)).ToList();
        var accepted = covered.Where(s => s.FirstAcceptedAt is not null)
            .ToDictionary(s => s.OrganisationCode, s => s.FirstAcceptedAt!.Value, StringComparer.Ordinal);
        var deadline = covered.FirstOrDefault()?.DeadlineAt ?? period.AddMonths(1).FirstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var submissions = EquityReportBuilder.SubmissionStatuses(reference, trusts, accepted, deadline);
        var history = await HistoryAsync(route, period, cancellationToken).ConfigureAwait(false);
        // An LMNS report reads the alerts routed to the LMNS (its trusts' and its own); a region report the alerts of the
        // region and of its LMNSs (each routed to its own lead). "Firing since" comes from the alert store.
        var alerts = await store.ReadAsync(
            (session, ct) => region
                ? session.Alerts.LoadStatesAsync(units, ct)
                : session.Alerts.ListAsync(null, route.Code, ct),
            cancellationToken).ConfigureAwait(false);
        var since = alerts.Where(a => a.FiringSince <= period)
            .GroupBy(a => a.Fingerprint.ToString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(a => a.FiringSince), StringComparer.Ordinal);
        // Firing as `pipeline alerts` and the emails mean it (Core's Firing), at the report's period.
        var firing = Firing.At(alerts, period, AlertPolicy.Default);
        // The data the report rests on: the latest file the store holds for the trusts and month it lists. The page is never
        // dated before a file it lists (a clock behind the store's, as in the demo's simulated months, or a rebuilt report).
        var cutOff = covered.SelectMany(s => new[] { s.FirstAcceptedAt, s.LastReceivedAt }).Max();
        var now = time.GetUtcNow();
        var generated = cutOff is { } latest && latest > now ? latest : now;
        var sources = new ReportSources(route.Code, period, generated, comparisons, gradients, quality, submissions, history, since, firing)
        {
            Scope = route.Scope,
        };
        return EquityReportBuilder.Build(sources, reference) with { DataCutOff = cutOff };
    }

    /// <summary>Builds, renders and stores an LMNS's report; returns its key (<see cref="ReportPublisher.PublishAsync"/>).</summary>
    public Task<string> WriteAsync(string lmnsCode, Period period, CancellationToken cancellationToken) =>
        new ReportPublisher(this, objects).PublishAsync(new AlertRoute(RoutingScope.Lmns, lmnsCode), period, cancellationToken);

    /// <summary>
    /// Monthly broad-group counts of the trusts the route covers (membership in force each month) and their roll-ups (the
    /// LMNS's, or the region's and its LMNSs'), for the last <see cref="HistoryMonths"/> months: read from the counts
    /// detection keeps (<c>detection_count</c>), so a report reads a few thousand aggregated rows, not every measure of
    /// every trust in the country for 36 months.
    /// </summary>
    private async Task<CountStore> HistoryAsync(AlertRoute route, Period period, CancellationToken cancellationToken)
    {
        var from = period.AddMonths(-(HistoryMonths - 1));
        var members = new Dictionary<Period, HashSet<string>>();
        var rollUps = new HashSet<(Level, string)>();
        for (var month = from; month <= period; month = month.AddMonths(1))
        {
            members[month] = EquityReportBuilder.TrustsOf(route.Scope, route.Code, month, reference).ToHashSet(StringComparer.Ordinal);
            if (route.Scope == RoutingScope.Region)
            {
                rollUps.Add((Level.Region, route.Code));
                rollUps.UnionWith(EquityReportBuilder.LmnsInRegion(reference, route.Code, month).Select(l => (Level.Lmns, l.Code)));
            }
            else
            {
                rollUps.Add((Level.Lmns, route.Code));
            }
        }

        var organisations = members.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Select(t => (Level.Organisation, t))
            .Concat(rollUps).ToList();
        var stored = await store.ReadAsync((session, ct) => session.Counts(reference).ReadAsync(organisations, period, ct), cancellationToken)
            .ConfigureAwait(false);
        var rows = new List<GroupCount>();
        foreach (var series in stored.Series)
        {
            var key = series.Key;
            foreach (var month in series.Months.Where(m => m >= from && m <= period))
            {
                if (key.Level == Level.Organisation && !members[month].Contains(key.OrganisationCode))
                {
                    continue; // a trust's months in another LMNS or region are not this route's
                }

                foreach (var group in series.Groups)
                {
                    if (series.Month(month, group) is { } counts)
                    {
                        rows.Add(new GroupCount(month, key.Level, key.OrganisationCode, key.IndicatorCode, key.Breakdown, group,
                            counts.Numerator, counts.Denominator));
                    }
                }
            }
        }

        return CountStore.From(rows);
    }
}
