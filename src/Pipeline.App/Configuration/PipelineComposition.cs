using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Charts;
using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Alerts;
using Pipeline.App.Detection;
using Pipeline.App.Drop;
using Pipeline.App.Notifications;
using Pipeline.App.Processing;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Validation;

namespace Pipeline.App.Configuration;

/// <summary>
/// The composition root: every service of the pipeline registered once, in one place, for every host (the CLI, the Azure
/// Functions worker, the benchmarks and the tests). A host adds its own parts first (its object store, clock, logging) and
/// they win: registrations here are "if absent". See docs/architecture.md.
/// </summary>
public static class PipelineComposition
{
    /// <summary>Validates <paramref name="options"/> now (bad settings fail at start) and registers the pipeline.</summary>
    public static IServiceCollection AddPipeline(this IServiceCollection services, PipelineOptions options, PipelineServiceOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        overrides ??= new PipelineServiceOverrides();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new PipelineConfigurationException(problems);
        }

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        if (overrides.ObjectStore is { } objects)
        {
            services.TryAddSingleton(objects);
        }

        if (overrides.LoggerFactory is { } loggers)
        {
            services.TryAddSingleton(loggers);
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(overrides);
        services.TryAddSingleton(_ => string.IsNullOrWhiteSpace(options.ReferenceDirectory)
            ? ReferenceData.Embedded
            : ReferenceDataLoader.LoadFrom(options.ReferenceDirectory));
        services.TryAddSingleton<IObjectStore>(_ => new FileSystemObjectStore(dataDirectory));
        services.TryAddSingleton(sp => StoreSettingsFor(options, Get<ReferenceData>(sp)));
        services.TryAddSingleton<SqlPipelineStore>(sp => options.Store.Provider == StoreOptions.SqlServer
            ? new SqlServerStore(options.Store.ConnectionString!, Get<ReferenceData>(sp), Get<StoreSettings>(sp), Get<TimeProvider>(sp))
            : SqliteStore.ForDataDirectory(
                dataDirectory, Get<ReferenceData>(sp), Get<StoreSettings>(sp), Get<TimeProvider>(sp), TimeSpan.FromSeconds(options.Store.BusyTimeoutSeconds)));
        services.TryAddSingleton<IPipelineStore>(Get<SqlPipelineStore>);
        services.TryAddSingleton<SqlNotificationOutbox>();
        services.TryAddSingleton<INotificationOutbox>(Get<SqlNotificationOutbox>);
        services.TryAddSingleton<SqlContactStore>();
        services.TryAddSingleton<MeasureLake>();
        services.TryAddSingleton(sp => new SubmissionValidator(
            Get<ReferenceData>(sp),
            new ValidationOptions
            {
                MaxFileBytes = options.Submissions.MaxFileBytes,
                MaxMeasureRows = options.Submissions.MaxMeasureRows,
                IsDeliverableAddress = MailAddresses.IsDeliverable,
            },
            Get<TimeProvider>(sp)));

        services.TryAddSingleton(sp => new DivergenceEngine(Get<ReferenceData>(sp)));
        services.TryAddSingleton<DetectionWindows>();
        services.TryAddSingleton<DetectionAfterLoad>();
        services.TryAddSingleton(sp => new ContactSource(options.Alerts.ContactsPath(dataDirectory), Get<ILoggerFactory>(sp).CreateLogger<ContactSource>()));
        services.TryAddSingleton(sp => new NotificationComposer(
            new AlertEmailRenderer(
                Get<ReferenceData>(sp), new AlertEmailOptions { ReportBaseUrl = ReportBaseUrl(options, Get<IObjectStore>(sp)) }),
            ForestPlotRenderer.RenderPng));
        services.TryAddSingleton(sp => new MonthlyDigests(
            Get<ReferenceData>(sp), Get<StoreSettings>(sp), Get<ContactSource>(sp), Get<NotificationComposer>(sp), Get<TimeProvider>(sp),
            Get<ILoggerFactory>(sp).CreateLogger<MonthlyDigests>(), options.Alerts.Policy()));
        services.TryAddSingleton(sp => new AlertEvaluator(
            Get<ReferenceData>(sp), Get<ContactSource>(sp), Get<NotificationComposer>(sp), Get<TimeProvider>(sp), Get<MonthlyDigests>(sp),
            Get<ILoggerFactory>(sp).CreateLogger<AlertEvaluator>(), options.Alerts.Policy()));
        services.TryAddSingleton<AlertsAfterLoad>();
        services.TryAddSingleton<LateSubmissionCheck>();
        services.TryAddSingleton(sp => new DetectionRecompute(Get<IPipelineStore>(sp), Get<DetectionWindows>(sp), Get<TimeProvider>(sp), Get<AlertEvaluator>(sp)));
        services.TryAddSingleton<Reporting.EquityReportService>();
        services.TryAddSingleton<Reporting.ReportPublisher>();
        services.TryAddSingleton<Reporting.PendingReports>();
        services.TryAddSingleton(CreateProcessor);
        services.TryAddSingleton(sp => new DropPoller(
            Get<IObjectStore>(sp), Get<IPipelineStore>(sp), Get<SubmissionProcessor>(sp), Get<TimeProvider>(sp),
            TimeSpan.FromSeconds(options.Drop.MinimumAgeSeconds), Get<ILoggerFactory>(sp).CreateLogger<DropPoller>(), options.Drop.Workers));
        services.TryAddSingleton<PipelineServices>();
        return services;
    }

    /// <summary>
    /// The processor and its steps inside the load transaction: detection first (the steps after it read the rows it has just
    /// written), then any step a host or test adds, then the fault-injection point when one is planned, then alerts, last.
    /// A bulk backfill leaves detection and alerts out (<see cref="PipelineServiceOverrides.DeferDetection"/>).
    /// </summary>
    private static SubmissionProcessor CreateProcessor(IServiceProvider sp)
    {
        var overrides = Get<PipelineServiceOverrides>(sp);
        var objects = Get<IObjectStore>(sp);
        IAfterLoad[] extra = [.. overrides.AfterLoad, .. sp.GetServices<IAfterLoad>(), .. FaultInjection.AfterLoadSteps()];
        var alerts = Get<AlertsAfterLoad>(sp);
        return new SubmissionProcessor(
            objects,
            Get<IPipelineStore>(sp),
            Get<MeasureLake>(sp),
            Get<SubmissionValidator>(sp),
            Get<ReferenceData>(sp),
            Get<PipelineOptions>(sp).Submissions,
            Get<TimeProvider>(sp),
            overrides.DeferDetection ? extra : [Get<DetectionAfterLoad>(sp), .. extra, alerts],
            overrides.FaultHook ?? FaultInjection.ProcessingHook(),
            Get<ILoggerFactory>(sp).CreateLogger<SubmissionProcessor>(),
            overrides.DeferDetection ? [] : [alerts],
            // Processes sharing a data directory (parallel ingest runs, watch beside ingest) take turns per submission.
            objects is FileSystemObjectStore folder
                ? (id, ct) => FileLock.AcquireAsync(Path.Combine(folder.Root, ".locks", id + ".lock"), TimeSpan.FromMinutes(10), ct)
                : null);
    }

    /// <summary>The store's settings; the deployment's regions must be region codes of the reference data.</summary>
    private static StoreSettings StoreSettingsFor(PipelineOptions options, ReferenceData reference)
    {
        var regions = options.Submissions.Regions.Select(r => r.Trim().ToUpperInvariant()).Where(r => r.Length > 0)
            .Distinct(StringComparer.Ordinal).ToList();
        if (regions.Where(r => reference.FindRegion(r) is null).ToList() is { Count: > 0 } unknown)
        {
            throw new PipelineConfigurationException(
                [$"Pipeline:Submissions:Regions: {string.Join(", ", unknown)} is not an NHS England region code in the reference data " +
                "(for example Y62)."]);
        }

        Period? first = null;
        if (!string.IsNullOrWhiteSpace(options.Submissions.FirstPeriod))
        {
            first = Period.TryParse(options.Submissions.FirstPeriod.Trim(), out var parsed)
                ? parsed
                : throw new PipelineConfigurationException(
                    [$"Pipeline:Submissions:FirstPeriod: '{options.Submissions.FirstPeriod}' is not a month; "
                        + "write it as yyyy-MM (for example 2025-04)."]);
        }

        return new StoreSettings(options.Submissions.DeadlineDay) { Regions = regions, FirstPeriod = first };
    }

    /// <summary>
    /// The URL alert emails link reports under: <c>Pipeline:Reports:BaseUrl</c>, else where the object store writes the
    /// reports area (<see cref="Reporting.ReportPublisher.DefaultBaseUrl"/>).
    /// </summary>
    public static string? ReportBaseUrl(PipelineOptions options, IObjectStore objects)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Reports.BaseUrl)
            ? Reporting.ReportPublisher.DefaultBaseUrl(objects)
            : options.Reports.BaseUrl.Trim();
    }

    private static T Get<T>(IServiceProvider services)
        where T : notnull => services.GetRequiredService<T>();
}
