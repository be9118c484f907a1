using System.CommandLine;
using System.Text.Json;
using Pipeline.Adapters.Store;
using Pipeline.Core.Alerts;
using Pipeline.Core.Publishing;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline alerts [--state firing|resolved] [--lmns CODE] [--json]</c>: the alert states in the store.</summary>
internal static class AlertsCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create(TimeProvider time)
    {
        var state = new Option<string?>("--state") { Description = "Only alerts in this state: firing or resolved.", HelpName = "firing|resolved" };
        var lmns = new Option<string?>("--lmns") { Description = "Only alerts routed to this LMNS (ICB code, e.g. QOP).", HelpName = "CODE" };
        var json = new Option<bool>("--json") { Description = "Print the alerts as JSON." };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("alerts", "List alerts: what fired, since when, its severity, and what the recipients were last told.") { state, lmns, json, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            AlertStatus? status = null;
            if (parseResult.GetValue(state) is { } wanted)
            {
                if (!AlertNames.TryParseStatus(wanted.Trim().ToLowerInvariant(), out var parsed))
                {
                    await Console.Error.WriteLineAsync($"pipeline alerts: --state '{wanted}' is not a state; use firing or resolved.").ConfigureAwait(false);
                    return ExitCodes.UsageOrEnvironment;
                }

                status = parsed;
            }

            var services = await CliEnvironment.StartAsync(CliEnvironment.Configuration(parseResult.GetValue(dataDirectory)), time, cancellationToken).ConfigureAwait(false);
            var route = parseResult.GetValue(lmns)?.Trim().ToUpperInvariant();
            var alerts = await services.Store.ReadAsync((session, ct) => session.Alerts.ListAsync(status, route, ct), cancellationToken).ConfigureAwait(false);

            if (parseResult.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(alerts.Select(Row), Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var table = new Table()
                .AddColumns("alert", "route", "state", "severity", "since", "last held", "resolved", "last told", "window");
            foreach (var a in alerts)
            {
                table.AddRow(
                    Markup.Escape(a.Fingerprint.ToString()),
                    Markup.Escape(a.Route.ToString()),
                    a.Status == AlertStatus.Firing ? "[red]firing[/]" : "[green]resolved[/]",
                    a.Severity.ToWire(),
                    a.FiringSince.ToString(),
                    a.LastHeld.ToString(),
                    a.ResolvedAt?.ToString() ?? string.Empty,
                    a.NotifiedStatus is { } told ? $"{told.ToWire()} ({a.NotifiedPeriod})" : "never",
                    Markup.Escape(Window(a.Evidence)));
            }

            AnsiConsole.Write(table);
            // Firing equity alerts counted as the report's summary and docs/querying.md query 15 count them (Firing.IsEquityRule).
            var firing = alerts.Where(a => a.Status == AlertStatus.Firing).ToList();
            var equity = firing.Where(a => Firing.IsEquityRule(a.Fingerprint.Rule)).ToList();
            await Console.Out.WriteLineAsync(
                $"{alerts.Count} alert(s): {firing.Count} firing ({equity.Count} equity: "
                + $"{equity.Count(a => a.Severity == AlertSeverity.Alert)} alert, {equity.Count(a => a.Severity == AlertSeverity.Watch)} watch; "
                + $"{firing.Count - equity.Count} data quality or submission), "
                + $"{alerts.Count(a => a.Status == AlertStatus.Resolved)} resolved.")
                .ConfigureAwait(false);
            if (alerts.Count(a => WindowText.IsPartial(a.Evidence.WindowMonths, a.Evidence.MonthsPresent)) is var partial and > 0)
            {
                await Console.Out.WriteLineAsync(
                        $"{partial} alert(s) rest on a partial window (months without accepted data): see the window column.")
                    .ConfigureAwait(false);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Dictionary<string, object?> Row(AlertState a) => new()
    {
        ["fingerprint"] = a.Fingerprint.ToString(),
        ["route"] = a.Route.ToString(),
        ["status"] = a.Status.ToWire(),
        ["severity"] = a.Severity.ToWire(),
        ["firing_since"] = a.FiringSince.ToString(),
        ["last_held"] = a.LastHeld.ToString(),
        ["resolved_at"] = a.ResolvedAt?.ToString(),
        ["last_evaluated"] = a.LastEvaluated.ToString(),
        ["notified_status"] = a.NotifiedStatus?.ToWire(),
        ["notified_period"] = a.NotifiedPeriod?.ToString(),
        // Published figures only (docs/disclosure.md): a ratio resting on a suppressed count is null here too.
        ["ratio"] = a.Evidence.PublishedRatio(a.Fingerprint.Rule).Value,
        ["ratio_ci_lower_95"] = a.Evidence.PublishedRatio(a.Fingerprint.Rule).Ci95?.Lower,
        ["ratio_ci_upper_95"] = a.Evidence.PublishedRatio(a.Fingerprint.Rule).Ci95?.Upper,
        ["rule"] = a.Evidence.RuleText,
        ["window_months"] = a.Evidence.WindowMonths,
        ["months_present"] = a.Evidence.MonthsPresent,
        ["window_partial"] = WindowText.IsPartial(a.Evidence.WindowMonths, a.Evidence.MonthsPresent),
    };

    /// <summary>"12 months" or "12 months, partial: 9 of 12 months with data" (the words the email and the report use).</summary>
    private static string Window(AlertEvidence evidence) =>
        $"{evidence.WindowMonths} months"
        + (WindowText.Partial(evidence.WindowMonths, evidence.MonthsPresent) is { } partial ? $", {partial}" : string.Empty);
}
