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
    /// Registers the clock and the object store chosen by <see cref="StorageConfiguration"/>, then everything the hosts'
    /// functions call: the processor and <see cref="ISubmissionIntake"/>, the SQL outbox and the dispatcher as
    /// <see cref="INotificationPump"/>, and the <see cref="ILateSubmissionCheck"/>. The store is built here, so a bad setting
    /// fails when the host starts rather than on the first upload.
    /// </summary>
    public static IServiceCollection AddPipelineHosting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton(StorageConfiguration.CreateObjectStore(configuration));
        return services.AddSubmissionProcessing(configuration).AddPipelineNotifications(configuration);
    }
}
