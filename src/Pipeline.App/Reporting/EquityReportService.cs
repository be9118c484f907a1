using System.Globalization;
using System.Text;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Reporting;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Reporting;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Text.Reports;

namespace Pipeline.App.Reporting;

/// <summary>
/// Builds an LMNS's static HTML equity report from the store: comparisons, gradients and data-quality findings at the
/// period, the monthly history behind each firing signal's trend chart, and the trusts' submission status.
/// </summary>
public sealed class EquityReportService(ReferenceData reference, IPipelineStore store, IObjectStore objects, TimeProvider time)
{
    /// <summary>How far back trend charts reach (enough for the SPC baseline and a year of signal).</summary>
    public const int HistoryMonths = 36;

    public static string ReportKey(string lmnsCode, Period period) =>
        AlertEmailOptions.Fill(AlertEmailOptions.DefaultReportLocation, "lmns", lmnsCode, period.ToString());

    public async Task<EquityReportModel> BuildAsync(string lmnsCode, Period period, CancellationToken cancellationToken)
    {
        if (reference.FindLmns(lmnsCode, period) is null)
        {
            throw new ArgumentException(
                $"'{lmnsCode}' is not an LMNS in the reference data for {period}; LMNS codes are ICB ODS codes such as QMF or QKK.", nameof(lmnsCode));
        }

        var trusts = reference.TrustsInLmns(lmnsCode, period).ToList();
        var (comparisons, gradients, quality) = await EquityReportQueries.LoadAsync(store, lmnsCode, trusts, period, cancellationToken).ConfigureAwait(false);
        var statuses = await store.GetSubmissionStatusAsync(period, cancellationToken).ConfigureAwait(false);
        var inLmns = statuses.Where(s => trusts.Contains(s.OrganisationCode, StringComparer.Ordinal)).ToList();
        var accepted = inLmns.Where(s => s.FirstAcceptedAt is not null).ToDictionary(s => s.OrganisationCode, s => s.FirstAcceptedAt!.Value, StringComparer.Ordinal);
        var deadline = inLmns.FirstOrDefault()?.DeadlineAt ?? period.AddMonths(1).FirstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var submissions = EquityReportBuilder.SubmissionStatuses(reference, lmnsCode, period, accepted, deadline);
        var history = await HistoryAsync(lmnsCode, period, cancellationToken).ConfigureAwait(false);
        // "Firing since" comes from the alert store: when each alert on the LMNS's route started holding, up to this period.
        var alerts = await store.ReadAsync((session, ct) => session.Alerts.ListAsync(null, lmnsCode, ct), cancellationToken)
            .ConfigureAwait(false);
        var since = alerts.Where(a => a.FiringSince <= period)
            .GroupBy(a => a.Fingerprint.ToString(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(a => a.FiringSince), StringComparer.Ordinal);
        // Firing as `pipeline alerts` and the emails mean it (Core's Firing), at the report's period.
        var firing = Firing.At(alerts, period, AlertPolicy.Default);
        var sources = new ReportSources(lmnsCode, period, time.GetUtcNow(), comparisons, gradients, quality, submissions, history, since,
            firing);
        return EquityReportBuilder.Build(sources, reference);
    }

    /// <summary>Builds, renders and stores the report; returns its key.</summary>
    public async Task<string> WriteAsync(string lmnsCode, Period period, CancellationToken cancellationToken)
    {
        var html = EquityReportHtml.Render(await BuildAsync(lmnsCode, period, cancellationToken).ConfigureAwait(false));
        var key = ReportKey(lmnsCode, period);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(html));
        await objects.WriteAsync(key, content, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>Monthly broad-group counts of the LMNS's trusts (membership in force each month) and their LMNS roll-up.</summary>
    private async Task<CountStore> HistoryAsync(string lmnsCode, Period period, CancellationToken cancellationToken)
    {
        var rows = new List<GroupCount>();
        for (var month = period.AddMonths(-(HistoryMonths - 1)); month <= period; month = month.AddMonths(1))
        {
            var members = reference.TrustsInLmns(lmnsCode, month).ToHashSet(StringComparer.Ordinal);
            if (members.Count == 0)
            {
                continue;
            }

            var measures = await store.GetCurrentMeasuresAsync(month, cancellationToken).ConfigureAwait(false);
            foreach (var trust in measures.Where(m => members.Contains(m.OrganisationCode)).GroupBy(m => m.OrganisationCode, StringComparer.Ordinal))
            {
                var typed = trust.Select(m => new Measure(
                    m.IndicatorCode, BreakdownNames.TryParse(m.Breakdown, out var b) ? b : Breakdown.Total, m.GroupCode, m.Numerator, m.Denominator));
                rows.AddRange(BroadGroupAggregation.FromMeasures(trust.Key, month, typed, reference));
            }
        }

        return CountStore.From(OrganisationRollup.WithRollUps(rows, reference));
    }
}
