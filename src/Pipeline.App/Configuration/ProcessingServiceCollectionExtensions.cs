using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Notifications;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Hosting;
using Pipeline.App.Processing;

namespace Pipeline.App.Configuration;

/// <summary>Registers the processing pipeline for DI hosts (Azure Functions): the same <see cref="PipelineServices"/> the CLI builds.</summary>
public static class ProcessingServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates the Pipeline options now (so bad settings fail at start), then registers <see cref="PipelineServices"/>,
    /// the processor, the store and <see cref="ISubmissionIntake"/>. Uses the registered <see cref="IObjectStore"/> if any, and
    /// every registered <see cref="IAfterLoad"/> step.
    /// </summary>
    public static IServiceCollection AddSubmissionProcessing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = PipelineConfiguration.Bind(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => PipelineServices.Create(
            options,
            sp.GetRequiredService<TimeProvider>(),
            new PipelineServiceOverrides
            {
                ObjectStore = sp.GetService<IObjectStore>(),
                AfterLoad = [.. sp.GetServices<IAfterLoad>()],
                LoggerFactory = sp.GetService<ILoggerFactory>(),
            }));
        services.TryAddSingleton(sp => sp.GetRequiredService<PipelineServices>().Processor);
        services.TryAddSingleton(sp => sp.GetRequiredService<PipelineServices>().Store);
        services.TryAddSingleton<StoreSchemaGate>();
        services.TryAddSingleton<ISubmissionIntake, SubmissionIntake>();
        services.TryAddSingleton<INotificationOutbox>(sp => sp.GetRequiredService<PipelineServices>().Outbox);
        services.TryAddSingleton<ILateSubmissionCheck>(sp => new SchemaFirstLateSubmissionCheck(
            sp.GetRequiredService<StoreSchemaGate>(), sp.GetRequiredService<PipelineServices>().LateCheck));
        return services;
    }
}
