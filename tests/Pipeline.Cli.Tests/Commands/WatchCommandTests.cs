using System.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

public sealed class WatchCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-watch-").FullName;

    [Fact]
    public async Task Watch_processes_a_file_dropped_in_the_data_directory_and_stops_cleanly_on_ctrl_c()
    {
        var (processed, exitCode, remaining) = await WatchAsync(["watch", "--data-dir", "data"], Path.Combine(_work, "data", "submissions"));

        Assert.Contains("submissions/R0A/2026-10/equity.json: accepted", processed, StringComparison.Ordinal);
        Assert.Contains("Stopped.", remaining, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Watch_stops_cleanly_when_a_service_manager_sends_sigterm()
    {
        var (processed, exitCode, remaining) = await WatchAsync(["watch", "--data-dir", "data"], Path.Combine(_work, "data", "submissions"), "TERM");

        Assert.Contains("submissions/R0A/2026-10/equity.json: accepted", processed, StringComparison.Ordinal);
        Assert.Contains("Stopped.", remaining, StringComparison.Ordinal);
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Watch_of_an_outside_drop_folder_copies_each_new_file_in_before_processing_it()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_work, "outside")).FullName;

        var (processed, exitCode, _) = await WatchAsync(["watch", "--drop", outside, "--data-dir", "data"], outside);

        Assert.Contains("accepted", processed, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_work, "data", "submissions", "R0A", "2026-10", "equity.json")));
        Assert.Equal(0, exitCode);
    }

    private async Task<(string Processed, int ExitCode, string Remaining)> WatchAsync(string[] args, string dropRoot, string signal = "INT")
    {
        var pipeline = new PipelineProcess(_work);
        pipeline.Environment["Pipeline__Drop__PollSeconds"] = "0.2";
        pipeline.Environment["Pipeline__Drop__MinimumAgeSeconds"] = "0";
        using var watch = pipeline.Start(args);
        using var killer = PipelineProcess.KillOnDispose(watch);
        var lines = new List<string>();
        await ReadUntilAsync(watch, lines, "Watching");

        var folder = Directory.CreateDirectory(Path.Combine(dropRoot, "R0A", "2026-10")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "equity.json"), SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", new Period(2026, 10), 1)), TestContext.Current.CancellationToken);
        var processed = await ReadUntilAsync(watch, lines, "equity.json");

        var rest = watch.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await PipelineProcess.StopAsync(watch, signal);
        return (processed, watch.ExitCode, await rest);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    private static async Task<string> ReadUntilAsync(Process process, List<string> lines, string marker)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"'{marker}' never appeared; output was:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
    }
}
