using Pipeline.Adapters.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Adapters.Charts;
using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Alerts;
using Pipeline.App.Detection;
using Pipeline.App.Drop;
using Pipeline.App.Notifications;
using Pipeline.App.Processing;
using Pipeline.Core.Alerts.Rendering;
using Pipeline.Core.Detection;
using Pipeline.Core.Reference;
using Pipeline.Core.Validation;

namespace Pipeline.App.Configuration;

/// <summary>Optional parts a host or test supplies; everything else comes from <see cref="PipelineOptions"/>.</summary>
public sealed record PipelineServiceOverrides
{
    /// <summary>The object store (Azure Blob in the Functions host); default: the data directory on the file system.</summary>
    public IObjectStore? ObjectStore { get; init; }

    /// <summary>Steps run inside the load transaction after detection (which is always first): alerts.</summary>
    public IReadOnlyList<IAfterLoad> AfterLoad { get; init; } = [];

    /// <summary>
    /// Bulk backfill: load (and record rejections) without the detection and alert steps (history is being imported, nobody
    /// should be emailed about it month by month), then run <see cref="Detection.DetectionRecompute"/> once, which rebuilds
    /// the counts and every comparison in batches and then evaluates the alerts over the recomputed months (one email per
    /// recipient group).
    /// </summary>
    public bool DeferDetection { get; init; }

    /// <summary>Called after each processing step; tests throw from it to simulate a crash.</summary>
    public FaultHook? FaultHook { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>The wiring every host shares: options in, processor, drop poller and store out.</summary>
public sealed record PipelineServices(
    PipelineOptions Options,
    ReferenceData Reference,
    IObjectStore Objects,
    IPipelineStore Store,
    MeasureLake Lake,
    SubmissionValidator Validator,
    SubmissionProcessor Processor,
    DropPoller Drop)
{
    /// <summary>The outbox in the SQL store, drained by <c>pipeline notify</c> and the hosts' notification pump.</summary>
    public required SqlNotificationOutbox Outbox { get; init; }

    /// <summary>The daily late/missing-submission check (the hosts' <see cref="Hosting.ILateSubmissionCheck"/>).</summary>
    public required LateSubmissionCheck LateCheck { get; init; }

    /// <summary>The alert evaluation the load and rejection steps use; <c>pipeline recompute</c> re-runs it over its periods.</summary>
    public required AlertEvaluator Alerts { get; init; }

    /// <summary>The alert contacts in the store (<c>pipeline contacts</c>).</summary>
    public SqlContactStore Contacts => new(SqlStore);

    /// <summary>The SQL store with its connections (for the alert tables).</summary>
    public SqlPipelineStore SqlStore => (SqlPipelineStore)Store;

    public static PipelineServices Create(PipelineOptions options, TimeProvider time, PipelineServiceOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        overrides ??= new PipelineServiceOverrides();
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new PipelineConfigurationException(problems);
        }

        var loggers = overrides.LoggerFactory ?? NullLoggerFactory.Instance;
        var reference = string.IsNullOrWhiteSpace(options.ReferenceDirectory)
            ? ReferenceData.Embedded
            : ReferenceDataLoader.LoadFrom(options.ReferenceDirectory);
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var objects = overrides.ObjectStore ?? new FileSystemObjectStore(dataDirectory);
        var regions = options.Submissions.Regions.Select(r => r.Trim().ToUpperInvariant()).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (regions.Where(r => reference.FindRegion(r) is null).ToList() is { Count: > 0 } unknown)
        {
            throw new PipelineConfigurationException(
                [$"Pipeline:Submissions:Regions: {string.Join(", ", unknown)} is not an NHS England region code in the reference data (for example Y62)."]);
        }

        var settings = new StoreSettings(options.Submissions.DeadlineDay) { Regions = regions };
        SqlPipelineStore store = options.Store.Provider == StoreOptions.SqlServer
            ? new SqlServerStore(options.Store.ConnectionString!, reference, settings, time)
            : SqliteStore.ForDataDirectory(dataDirectory, reference, settings, time, TimeSpan.FromSeconds(options.Store.BusyTimeoutSeconds));
        var lake = new MeasureLake(objects, reference);
        var validator = new SubmissionValidator(
            reference,
            new ValidationOptions
            {
                MaxFileBytes = options.Submissions.MaxFileBytes,
                MaxMeasureRows = options.Submissions.MaxMeasureRows,
                IsDeliverableAddress = MailAddresses.IsDeliverable,
            },
            time);
        // Detection runs first inside the load's transaction, so the steps after it (alerts, last) read the rows it has just written.
        var detection = new DetectionAfterLoad(new DetectionWindows(reference, new DivergenceEngine(reference), time));
        var contacts = new ContactSource(options.Alerts.ContactsPath(dataDirectory), loggers.CreateLogger<ContactSource>());
        var composer = new NotificationComposer(
            new AlertEmailRenderer(reference, new AlertEmailOptions { ReportLocation = options.Alerts.ReportLocation }), ForestPlotRenderer.RenderPng);
        var evaluator = new AlertEvaluator(reference, contacts, composer, time, loggers.CreateLogger<AlertEvaluator>(), options.Alerts.Policy());
        var alerts = new AlertsAfterLoad(evaluator);
        var processor = new SubmissionProcessor(
            objects, store, lake, validator, reference, options.Submissions, time,
            overrides.DeferDetection
                ? [.. overrides.AfterLoad, .. FaultInjection.AfterLoadSteps()]
                : [detection, .. overrides.AfterLoad, .. FaultInjection.AfterLoadSteps(), alerts],
            overrides.FaultHook ?? FaultInjection.ProcessingHook(),
            loggers.CreateLogger<SubmissionProcessor>(),
            overrides.DeferDetection ? [] : [alerts],
            // Processes sharing a data directory (parallel ingest runs, watch beside ingest) take turns per submission.
            objects is FileSystemObjectStore folder
                ? (id, ct) => FileLock.AcquireAsync(Path.Combine(folder.Root, ".locks", id + ".lock"), TimeSpan.FromMinutes(10), ct)
                : null);
        var drop = new DropPoller(
            objects, store, processor, time, TimeSpan.FromSeconds(options.Drop.MinimumAgeSeconds), loggers.CreateLogger<DropPoller>(), options.Drop.Workers);
        return new PipelineServices(options, reference, objects, store, lake, validator, processor, drop)
        {
            Outbox = new SqlNotificationOutbox(store),
            LateCheck = new LateSubmissionCheck(store, settings, reference, contacts, composer, time, loggers.CreateLogger<LateSubmissionCheck>()),
            Alerts = evaluator,
        };
    }
}
