using System.Globalization;
using Pipeline.App.Configuration;
using Pipeline.App.Demo;
using Pipeline.App.Processing;
using Pipeline.Core.Alerts;
using Pipeline.Core.Model;
using Pipeline.Core.Notifications;
using Pipeline.Core.Text.AlertEmails;

namespace Pipeline.Cli.Commands;

/// <summary>The demo's closing summary: what happened, where everything is, and what to try next.</summary>
internal static class DemoReport
{
    public static async Task WriteAsync(DemoSummary summary, PipelineServices services, string dataDir, IReadOnlyList<string> equityReports, IReadOnlyList<AlertState> firing, TimeSpan elapsed, TextWriter output)
    {
        var rejected = summary.Files.Where(f => f.Result.Outcome == ProcessingOutcome.Rejected).ToList();
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Done in {elapsed.TotalSeconds:F0} s: region {summary.RegionCode}, {summary.Start}..{summary.End}, {summary.Files.Count} files from {summary.Files.Select(f => f.Result.OrganisationCode).Distinct(StringComparer.Ordinal).Count()} trusts."),
            string.Create(CultureInfo.InvariantCulture, $"  accepted {summary.Accepted}, rejected {summary.Rejected}"),
        };
        foreach (var file in rejected)
        {
            lines.Add($"  rejected: {file.Key} -> receipt {services.Objects.Describe(file.Result.ReceiptHtmlKey ?? file.Key)}");
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"Alerts firing at the end, by who is told ({firing.Count(a => a.Severity == AlertSeverity.Alert)} alert, {firing.Count(a => a.Severity == AlertSeverity.Watch)} watch):"));
        foreach (var route in firing.GroupBy(a => a.Route.ToString(), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var top = route.Where(a => a.Severity == AlertSeverity.Alert).Select(a => a.Fingerprint.ToString())
                .Order(StringComparer.Ordinal).Take(4).ToList();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {route.Key,-12} {route.Count(a => a.Severity == AlertSeverity.Alert),3} alert {route.Count(a => a.Severity == AlertSeverity.Watch),4} watch  {string.Join("; ", top)}"));
        }

        var emails = Directory.Exists(Path.Combine(dataDir, "outbox")) ? Directory.GetFiles(Path.Combine(dataDir, "outbox"), "*.eml").Length : 0;
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"Emails written: {emails} .eml files in {Path.Combine(dataDir, "outbox")} (contacts: {Path.Combine(dataDir, DemoRun.ContactsKey)})"));
        lines.Add(AlertEmailTally(await services.Outbox.ListAsync(CancellationToken.None).ConfigureAwait(false)));
        lines.Add("Planted (known truth):");
        foreach (var planted in summary.Scenario.Divergences)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {planted.IndicatorCode}: {planted.Breakdown} group {planted.GroupCode} worse x{planted.Ratio} at {planted.Level} {planted.OrganisationCode} from {planted.Onset}"));
        }

        foreach (var poor in summary.Scenario.PoorEthnicityRecording)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  poor ethnicity recording at {poor.TrustCode} ({poor.UnknownShare * 100:0}% not stated/known)"));
        }

        var database = Path.Combine(dataDir, "pipeline.db");
        lines.AddRange(
        [
            "Where things are:",
            $"  SQL store     {database}",
            $"  Parquet lake  {Path.Combine(dataDir, "lake", "measures")}",
            $"  receipts      {Path.Combine(dataDir, SubmissionProcessor.ReportsArea)}",
            .. equityReports.Select(r => $"  equity report {r}"),
            $"  originals     {Path.Combine(dataDir, SubmissionProcessor.SubmissionsArea)}",
            "Try:",
            $"  dotnet run --project src/Pipeline.Cli -- alerts --lmns {summary.Scenario.Divergences[0].OrganisationCode} --data-dir {dataDir}",
            $"  sqlite3 {database} \"select organisation_code, status, first_accepted_at from v_submission_status where reporting_period = '{summary.End}'\"",
            $"  duckdb -c \"select period, organisation, indicator_code, sum(numerator) n, sum(denominator) d from read_parquet('{Path.Combine(dataDir, "lake", "measures")}/**/*.parquet', hive_partitioning=true) where breakdown = 'total' group by all order by all limit 20\"",
        ]);
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// How many alert emails went out and why (docs/alerts.md §4): monthly digests, and notices that could not wait, with the
    /// most any one recipient received in one month (queued in, by the demo's clock).
    /// </summary>
    internal static string AlertEmailTally(IReadOnlyList<Notification> outbox)
    {
        var alerts = outbox.Where(n => n.Kind == NotificationKind.Alerts).ToList();
        var digests = alerts.Count(n => n.Subject.StartsWith(AlertEmailRenderer.DigestSubjectStart, StringComparison.Ordinal));
        var recipients = alerts.SelectMany(n => n.Recipients.Select(r => r.Email)).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        var most = alerts
            .SelectMany(n => n.Recipients.Select(r => (Email: r.Email.ToUpperInvariant(), Month: Period.FromDateTimeOffset(n.CreatedAt))))
            .GroupBy(x => x).Select(g => g.Count()).DefaultIfEmpty().Max();
        return string.Create(CultureInfo.InvariantCulture, $"Alert emails: {alerts.Count} to {recipients} recipients: {digests} monthly digests ")
            + "(one per LMNS or region per month with news), "
            + string.Create(CultureInfo.InvariantCulture,
                $"{alerts.Count - digests} sent on their own because they could not wait; at most {most} to any recipient in one month.");
    }
}
