using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.App.Alerts;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;
using Pipeline.App.Processing;

namespace Pipeline.App.Configuration;

/// <summary>Registers the processing pipeline for the hosts from configuration: the one composition root plus what the hosts' functions call.</summary>
public static class ProcessingServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the Pipeline options now (so bad settings fail at start), registers the pipeline
    /// (<see cref="PipelineComposition.AddPipeline"/>), the schema gate and <see cref="ISubmissionIntake"/>. A host's own
    /// <see cref="IObjectStore"/>, clock and <see cref="IAfterLoad"/> steps, registered first, are used.
    /// </summary>
    public static IServiceCollection AddSubmissionProcessing(
        this IServiceCollection services, IConfiguration configuration, PipelineServiceOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddPipeline(PipelineConfiguration.Bind(configuration), overrides);
        services.TryAddSingleton<StoreSchemaGate>();
        services.TryAddSingleton<ISubmissionIntake, SubmissionIntake>();
        services.TryAddSingleton<ILateSubmissionCheck>(sp => new SchemaFirstLateSubmissionCheck(
            sp.GetRequiredService<StoreSchemaGate>(), sp.GetRequiredService<LateSubmissionCheck>()));
        return services;
    }
}
