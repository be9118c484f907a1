using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Drop;
using Pipeline.App.Processing;
using Pipeline.Core.Reference;
using Pipeline.Core.Validation;

namespace Pipeline.App.Configuration;

/// <summary>Optional parts a host or test supplies; everything else comes from <see cref="PipelineOptions"/>.</summary>
public sealed record PipelineServiceOverrides
{
    /// <summary>The object store (Azure Blob in the Functions host); default: the data directory on the file system.</summary>
    public IObjectStore? ObjectStore { get; init; }

    /// <summary>Steps run inside the load transaction (detection, alerts).</summary>
    public IReadOnlyList<IAfterLoad> AfterLoad { get; init; } = [];

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
        var settings = new StoreSettings(options.Submissions.DeadlineDay);
        IPipelineStore store = options.Store.Provider == StoreOptions.SqlServer
            ? new SqlServerStore(options.Store.ConnectionString!, reference, settings, time)
            : SqliteStore.ForDataDirectory(dataDirectory, reference, settings, time, TimeSpan.FromSeconds(options.Store.BusyTimeoutSeconds));
        var lake = new MeasureLake(objects, reference);
        var validator = new SubmissionValidator(
            reference,
            new ValidationOptions { MaxFileBytes = options.Submissions.MaxFileBytes, MaxMeasureRows = options.Submissions.MaxMeasureRows },
            time);
        var processor = new SubmissionProcessor(
            objects, store, lake, validator, reference, options.Submissions, time,
            [.. overrides.AfterLoad, .. FaultInjection.AfterLoadSteps()],
            overrides.FaultHook ?? FaultInjection.ProcessingHook(),
            loggers.CreateLogger<SubmissionProcessor>());
        var drop = new DropPoller(objects, store, processor, time, TimeSpan.FromSeconds(options.Drop.MinimumAgeSeconds), loggers.CreateLogger<DropPoller>(), options.Drop.Workers);
        return new PipelineServices(options, reference, objects, store, lake, validator, processor, drop);
    }
}
