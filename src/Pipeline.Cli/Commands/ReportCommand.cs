using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.App.Reporting;
using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reporting;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline report (--lmns CODE | --region CODE) --period YYYY-MM</c>: publishes the LMNS's (or the region's)
/// self-contained HTML equity report to the key its alert emails link to (<see cref="ReportPublisher"/>).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TimeProvider time)
    {
        var lmns = new Option<string?>("--lmns") { Description = "LMNS (ICB) code, for example QMF.", HelpName = "CODE" };
        var region = new Option<string?>("--region")
        {
            Description = "NHS England region code, for example Y62: the region report (its LMNSs and the region roll-up).",
            HelpName = "CODE",
        };
        var period = new Option<string>("--period") { Description = "Reporting month the windows end at, yyyy-MM.", Required = true, HelpName = "YYYY-MM" };
        var output = new Option<string?>("--out") { Description = "Also write the report into this folder.", HelpName = "DIR" };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command(
            "report",
            "Publish an LMNS's or a region's equity report: heat map, forest plots, SPC trends, data quality and submission status "
            + "(static HTML).")
        {
            lmns, region, period, output, dataDirectory,
        };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            if (!Period.TryParse(parseResult.GetValue(period), out var month))
            {
                await Console.Error.WriteLineAsync($"pipeline report: --period '{parseResult.GetValue(period)}' is not a month; use yyyy-MM, for example 2026-10.")
                    .ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var (lmnsCode, regionCode) = (parseResult.GetValue(lmns), parseResult.GetValue(region));
            if (string.IsNullOrWhiteSpace(lmnsCode) == string.IsNullOrWhiteSpace(regionCode))
            {
                await Console.Error.WriteLineAsync(
                        "pipeline report: name one report: --lmns CODE (an LMNS, e.g. QOP) or --region CODE (a region, e.g. Y62).")
                    .ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var route = string.IsNullOrWhiteSpace(regionCode)
                ? new AlertRoute(RoutingScope.Lmns, lmnsCode!.Trim().ToUpperInvariant())
                : new AlertRoute(RoutingScope.Region, regionCode.Trim().ToUpperInvariant());
            var code = route.Code;
            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var reports = services.Provider.GetRequiredService<EquityReportService>();
            var publisher = services.Provider.GetRequiredService<ReportPublisher>();
            EquityReportModel model;
            try
            {
                model = await reports.BuildAsync(route, month, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"pipeline report: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var key = await publisher.WriteAsync(model, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Equity report for {model.LmnsName}, {month}: {services.Objects.Describe(key)}").ConfigureAwait(false);
            if (parseResult.GetValue(output) is { } folder)
            {
                Directory.CreateDirectory(folder);
                var copy = Path.Combine(folder, $"equity-report-{code}-{month}.html");
                await File.WriteAllTextAsync(copy, EquityReportHtml.Render(model), cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"  also written to {Path.GetFullPath(copy)}").ConfigureAwait(false);
            }

            var alerts = model.Alerts.Count(a => a.Severity == Signal.Alert);
            var watches = model.Alerts.Count(a => a.Severity == Signal.Watch);
            await Console.Out.WriteLineAsync(
                $"  {alerts + watches} equity alerts firing ({alerts} alert, {watches} watch), {model.DataQuality.Count} data-quality findings, "
                + $"{model.Submissions.Count(s => s.State != SubmissionState.OnTime)} trusts late or missing.")
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
