using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Alerts;
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

/// <summary>
/// What the commands, benchmarks and tests use, resolved from the one composition root (<see cref="PipelineComposition"/>);
/// <see cref="Provider"/> gives anything else registered there.
/// </summary>
public sealed record PipelineServices(
    PipelineOptions Options,
    ReferenceData Reference,
    IObjectStore Objects,
    SqlPipelineStore SqlStore,
    MeasureLake Lake,
    SubmissionValidator Validator,
    SubmissionProcessor Processor,
    DropPoller Drop,
    SqlNotificationOutbox Outbox,
    LateSubmissionCheck LateCheck,
    AlertEvaluator Alerts,
    SqlContactStore Contacts,
    IServiceProvider Provider)
{
    /// <summary>The SQL store.</summary>
    public IPipelineStore Store => SqlStore;

    /// <summary>Registers the pipeline for <paramref name="options"/> with <paramref name="time"/> and resolves it.</summary>
    public static PipelineServices Create(PipelineOptions options, TimeProvider time, PipelineServiceOverrides? overrides = null) =>
        new ServiceCollection().AddSingleton(time).AddPipeline(options, overrides).BuildServiceProvider().GetRequiredService<PipelineServices>();
}
