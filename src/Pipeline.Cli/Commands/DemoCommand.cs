using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Store;
using Pipeline.App.Processing;
using Pipeline.App.Notifications;
using Pipeline.Core.Alerts;
using Pipeline.Core.Reporting;
using Pipeline.Core.Notifications;
using Pipeline.Core.Model;
using Pipeline.App.Configuration;
using Pipeline.App.Demo;
using Pipeline.App.Hosting;
using Pipeline.App.Reporting;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline demo</c>: a realistic region run through the real pipeline in about a minute, ending with where to look.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(TimeProvider time)
    {
        var months = new Option<int>("--months") { Description = "Months of submissions to generate.", DefaultValueFactory = _ => 24, HelpName = "N" };
        var region = new Option<string>("--region")
        {
            Description = "NHS England region code (Y56 London, Y58 South West, Y59 South East, Y60 Midlands, Y61 East of England, Y62 North West, Y63 North East and Yorkshire).",
            DefaultValueFactory = _ => DemoOptions.DefaultRegion,
            HelpName = "CODE",
        };
        var seed = new Option<ulong>("--seed") { Description = "Random seed: the same seed gives the same data.", DefaultValueFactory = _ => 2026UL, HelpName = "N" };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("demo", "Generate a realistic region (real trusts, planted divergences) and run it through the whole pipeline.")
        {
            months, region, seed, dataDirectory,
        };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var options = new DemoOptions
            {
                Months = parseResult.GetValue(months),
                RegionCode = parseResult.GetValue(region) ?? DemoOptions.DefaultRegion,
                Seed = parseResult.GetValue(seed),
            };
            var dataDir = Path.GetFullPath(parseResult.GetValue(dataDirectory) ?? StorageConfiguration.DefaultDataDirectory);
            var used = Directory.Exists(Path.Combine(dataDir, SubmissionProcessor.SubmissionsArea))
                || File.Exists(Path.Combine(dataDir, "pipeline.db"));
            if (used)
            {
                await Console.Error.WriteLineAsync(
                    $"pipeline demo: {dataDir} already holds pipeline data; give an empty or new --data-dir so the demo does not mix with it.").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var clock = new DemoClock(time.GetUtcNow());
            var services = await StartAsync(dataDir, clock, cancellationToken).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            var done = 0;
            var progress = new SynchronousProgress<DemoFile>(_ =>
            {
                if (++done % 25 == 0)
                {
                    Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r  processed {done} files ({watch.Elapsed.TotalSeconds:F0} s)"));
                }
            });
            await Console.Out.WriteLineAsync($"Generating {options.Months} months for region {options.RegionCode} (seed {options.Seed}) and processing each file...")
                .ConfigureAwait(false);
            DemoSummary summary;
            try
            {
                summary = await new DemoRun(services.Reference, services.Objects, services.Processor, services.LateCheck, clock)
                    .RunAsync(options, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                await Console.Error.WriteLineAsync($"pipeline demo: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            Console.Error.WriteLine();
            // The reports the emails link to: each LMNS's and the region's, for the last month (ReportPublisher).
            var publisher = services.Provider.GetRequiredService<ReportPublisher>();
            var written = new List<string>();
            foreach (var lmns in services.Reference.LmnsList.Where(l => l.RegionCode == summary.RegionCode && l.IsActiveIn(summary.End)))
            {
                if (services.Reference.TrustsInLmns(lmns.Code, summary.End).Any())
                {
                    var key = await publisher.PublishAsync(new AlertRoute(RoutingScope.Lmns, lmns.Code), summary.End, cancellationToken)
                        .ConfigureAwait(false);
                    written.Add(services.Objects.Describe(key));
                }
            }

            var regionRoute = new AlertRoute(RoutingScope.Region, summary.RegionCode);
            var regionKey = await publisher.PublishAsync(regionRoute, summary.End, cancellationToken).ConfigureAwait(false);
            written.Add(services.Objects.Describe(regionKey));

            // The demo always writes .eml files (whatever SMTP a working folder's appsettings names): nothing leaves the laptop.
            var outbox = Path.Combine(dataDir, "outbox");
            var dispatcher = new NotificationDispatcher(
                services.Outbox, new EmlFileMailTransport(new MailOptions { OutboxDirectory = outbox }), clock, NullLogger<NotificationDispatcher>.Instance);
            // Every report an alert email links to is published first (as the hosts' pump does), so every link opens.
            await services.Provider.GetRequiredService<PendingReports>().PublishAsync(cancellationToken).ConfigureAwait(false);
            await dispatcher.DispatchPendingAsync(cancellationToken).ConfigureAwait(false);
            var alerts = await FiringAlertsAsync(services, cancellationToken).ConfigureAwait(false);
            await DemoReport.WriteAsync(summary, services, dataDir, written, alerts, watch.Elapsed, Console.Out).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Task<IReadOnlyList<AlertState>> FiringAlertsAsync(PipelineServices services, CancellationToken cancellationToken) =>
        services.Store.ReadAsync((session, ct) => session.Alerts.ListAsync(AlertStatus.Firing, null, ct), cancellationToken);

    private static async Task<PipelineServices> StartAsync(string dataDir, TimeProvider clock, CancellationToken cancellationToken)
    {
        var configuration = PipelineConfiguration.Build(
            Directory.GetCurrentDirectory(), new Dictionary<string, string?> { [StorageConfiguration.DataDirectoryKey] = dataDir });
        return await CliEnvironment.StartAsync(configuration, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; posts to the thread pool and can reorder lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
