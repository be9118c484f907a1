using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Hosting;

namespace Pipeline.Cli.Commands;

/// <summary>What the commands share: <c>--data-dir</c>, building the pipeline from configuration, and turning environment failures into exit code 2.</summary>
internal static class CliEnvironment
{
    public static Option<string?> DataDirectoryOption() => new("--data-dir")
    {
        Description = "Data directory: originals, receipts, lake, quarantine and the SQLite file (default ./pipeline-data, or Pipeline:DataDirectory).",
        HelpName = "DIR",
    };

    /// <summary>Configuration (appsettings.json in the working folder, environment, then <c>--data-dir</c>) to services, store migrated.</summary>
    /// <param name="settings">Further settings from command-line options (keys as in appsettings.json), applied last.</param>
    public static Task<PipelineServices> StartAsync(
        string? dataDirectory, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(Configuration(dataDirectory, settings), TimeProvider.System, cancellationToken);

    /// <summary>appsettings.json in the working folder, the environment, then command-line settings and <c>--data-dir</c>.</summary>
    public static IConfiguration Configuration(string? dataDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var overrides = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (dataDirectory is not null)
        {
            overrides[StorageConfiguration.DataDirectoryKey] = dataDirectory;
        }

        return PipelineConfiguration.Build(Directory.GetCurrentDirectory(), overrides);
    }

    /// <summary>Services from an already built configuration, with the given clock, store migrated.</summary>
    /// <param name="deferDetection">Bulk backfill: load without detection and alerts (see <see cref="PipelineServiceOverrides.DeferDetection"/>).</param>
    public static async Task<PipelineServices> StartAsync(
        IConfiguration configuration, TimeProvider time, CancellationToken cancellationToken, bool deferDetection = false)
    {
        // The Functions host's composition (PipelineHostingExtensions), with the CLI's clock and console logging.
        var provider = new ServiceCollection()
            .AddSingleton(time)
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
            .AddPipelineHosting(configuration, new PipelineServiceOverrides { DeferDetection = deferDetection })
            .BuildServiceProvider();
        var services = provider.GetRequiredService<PipelineServices>();
        await services.Store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return services;
    }

    /// <summary>Runs a command body; configuration, store and file-system failures become one clear line on stderr and exit code 2.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (PipelineConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"pipeline: {ex.Message}{Environment.NewLine}Fix appsettings.json or the Pipeline__… environment variables.").ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"pipeline: invalid configuration: {ex.Message}").ConfigureAwait(false);
        }
        catch (StoreMigrationException ex)
        {
            // DbUp wraps the provider's error: an unreachable database reads differently from a schema this version cannot upgrade.
            var fix = ex.InnerException is DbException
                ? "Check Pipeline:Store settings and that the database is reachable."
                : "Check Pipeline:Store settings, or point --data-dir at a data directory made by this version.";
            await Console.Error.WriteLineAsync($"pipeline: the SQL store failed: {ex.Message} {fix}").ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            await Console.Error.WriteLineAsync($"pipeline: the SQL store failed: {ex.Message}. Check Pipeline:Store settings and that the database is reachable.").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"pipeline: {ex.Message} Check that --data-dir exists and is writable.").ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            await Console.Error.WriteLineAsync($"pipeline: {ex.Message}").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("pipeline: cancelled.").ConfigureAwait(false);
        }

        return ExitCodes.UsageOrEnvironment;
    }
}
