using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.App.Reporting;
using Pipeline.Core.Model;
using Pipeline.Core.Reporting;
using Pipeline.Core.Text.Reports;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline report --lmns CODE --period YYYY-MM</c>: the LMNS's self-contained HTML equity report.</summary>
internal static class ReportCommand
{
    public static Command Create(TimeProvider time)
    {
        var lmns = new Option<string>("--lmns") { Description = "LMNS (ICB) code, for example QMF.", Required = true, HelpName = "CODE" };
        var period = new Option<string>("--period") { Description = "Reporting month the windows end at, yyyy-MM.", Required = true, HelpName = "YYYY-MM" };
        var output = new Option<string?>("--out") { Description = "Also write the report into this folder.", HelpName = "DIR" };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("report", "Write an LMNS's equity report: heat map, forest plots, SPC trends, data quality and submission status (static HTML).")
        {
            lmns, period, output, dataDirectory,
        };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            if (!Period.TryParse(parseResult.GetValue(period), out var month))
            {
                await Console.Error.WriteLineAsync($"pipeline report: --period '{parseResult.GetValue(period)}' is not a month; use yyyy-MM, for example 2026-10.")
                    .ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var reports = services.Provider.GetRequiredService<EquityReportService>();
            var code = parseResult.GetValue(lmns)!.Trim().ToUpperInvariant();
            EquityReportModel model;
            try
            {
                model = await reports.BuildAsync(code, month, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"pipeline report: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var key = await reports.WriteAsync(code, month, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"Equity report for {model.LmnsName}, {month}: {services.Objects.Describe(key)}").ConfigureAwait(false);
            if (parseResult.GetValue(output) is { } folder)
            {
                Directory.CreateDirectory(folder);
                var copy = Path.Combine(folder, $"equity-report-{code}-{month}.html");
                await File.WriteAllTextAsync(copy, EquityReportHtml.Render(model), cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"  also written to {Path.GetFullPath(copy)}").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync(
                $"  {model.Alerts.Count} signals firing, {model.DataQuality.Count} data-quality findings, {model.Submissions.Count(s => s.State != SubmissionState.OnTime)} trusts late or missing.")
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
