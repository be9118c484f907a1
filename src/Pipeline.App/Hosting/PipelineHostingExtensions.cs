using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Adapters.Storage;
using Pipeline.App.Configuration;

namespace Pipeline.App.Hosting;

/// <summary>Configuration-to-adapters wiring shared by every host (CLI, Azure Functions), so hosts only wire.</summary>
public static class PipelineHostingExtensions
{
    /// <summary>
    /// Registers the clock, the object store chosen by <see cref="StorageConfiguration"/> and the submission processing behind
    /// <see cref="ISubmissionIntake"/> (what the blob trigger calls). The stores are built here, so a bad setting fails when the
    /// host starts rather than on the first upload.
    /// </summary>
    public static IServiceCollection AddPipelineHosting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(StorageConfiguration.CreateObjectStore(configuration));
        services.AddSubmissionProcessing(configuration);
        return services;
    }
}
