using System.Diagnostics;
using System.Text;
using Pipeline.Tests.Shared;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The built worker (the same files <c>dotnet publish</c> ships), started as the Functions host would start it but
/// without the host: with the app settings infra/app/function-app.bicep writes, it gets through its own start-up (all
/// settings bound, every service the functions use built) and stops only because the host's gRPC endpoint is missing.
/// A bad setting stops it before that, naming the setting. Each run has a time limit.
/// </summary>
public sealed class WorkerStartTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const string MissingHost = "Functions:Worker:HostEndpoint";
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-worker-").FullName;

    [Fact]
    public async Task With_the_bicep_app_settings_the_worker_starts_up_to_the_missing_host_endpoint()
    {
        var settings = AzureSettings.FilledAppSettings();

        var (exit, output) = await RunWorkerAsync(settings);

        Assert.NotEqual(0, exit);
        Assert.Contains(MissingHost, output, StringComparison.Ordinal);
        Assert.DoesNotContain("Invalid configuration", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_local_example_settings_and_the_embedded_store_the_worker_starts_up_to_the_missing_host_endpoint()
    {
        var (exit, output) = await RunWorkerAsync(new Dictionary<string, string> { ["Pipeline__DataDirectory"] = _directory });

        Assert.NotEqual(0, exit);
        Assert.Contains(MissingHost, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_worker_before_the_host_connection_naming_the_setting()
    {
        var settings = new Dictionary<string, string>(AzureSettings.FilledAppSettings()) { ["Pipeline__Store__Provider"] = "oracle" };

        var (exit, output) = await RunWorkerAsync(settings);

        Assert.NotEqual(0, exit);
        Assert.Contains("Pipeline:Store:Provider is 'oracle'", output, StringComparison.Ordinal);
        Assert.DoesNotContain(MissingHost, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sql_sign_in_this_build_cannot_perform_stops_the_worker_at_start_with_the_fix()
    {
        var settings = new Dictionary<string, string>(AzureSettings.FilledAppSettings())
        {
            ["Pipeline__Store__ConnectionString"] = "Server=tcp:sql-x.database.windows.net,1433;Database=pipeline;Authentication=Active Directory Interactive",
        };

        var (exit, output) = await RunWorkerAsync(settings);

        Assert.NotEqual(0, exit);
        Assert.Contains("Authentication=ActiveDirectoryInteractive, which this build cannot sign in with", output, StringComparison.Ordinal);
        Assert.DoesNotContain(MissingHost, output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<(int Exit, string Output)> RunWorkerAsync(IReadOnlyDictionary<string, string> settings)
    {
        Assert.True(File.Exists(FunctionsBuild.WorkerAssembly), $"{FunctionsBuild.WorkerAssembly} is missing: build src/Pipeline.Functions.");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(FunctionsBuild.WorkerAssembly);
        // Only what the test gives: nothing from the developer's or CI's environment may decide the outcome.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Pipeline__", StringComparison.Ordinal) || k.StartsWith("Functions__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["Pipeline__DataDirectory"] = settings.TryGetValue("Pipeline__DataDirectory", out var d) ? d : _directory;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // It should stop by itself, for want of the host endpoint; a hang fails the test.
        var (exitCode, output, error) = await TimedProcess.RunAsync(start, Limit, "The worker");
        return (exitCode, output + error);
    }
}
