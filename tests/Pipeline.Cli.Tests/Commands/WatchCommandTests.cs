using System.Diagnostics;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

public sealed class WatchCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-watch-").FullName;

    [Fact]
    public async Task Watch_processes_a_dropped_file_and_stops_cleanly_on_ctrl_c()
    {
        var pipeline = new PipelineProcess(_work);
        pipeline.Environment["Pipeline__Drop__PollSeconds"] = "0.2";
        pipeline.Environment["Pipeline__Drop__MinimumAgeSeconds"] = "0";
        using var watch = pipeline.Start("watch", "--data-dir", "data");
        var lines = new List<string>();
        Assert.Contains("Watching", await ReadUntilAsync(watch, lines, "Watching"), StringComparison.Ordinal);

        var folder = Directory.CreateDirectory(Path.Combine(_work, "data", "submissions", "R0A", "2026-10")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "equity.json"), SampleSubmissions.ToJson(SampleSubmissions.Typical("R0A", new Period(2026, 10), 1)), TestContext.Current.CancellationToken);
        var processed = await ReadUntilAsync(watch, lines, "submissions/R0A/2026-10/equity.json");

        using (var interrupt = Process.Start("kill", ["-INT", watch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await watch.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Contains("accepted", processed, StringComparison.Ordinal);
        var rest = await watch.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Stopped.", rest, StringComparison.Ordinal);
        Assert.Equal(0, watch.ExitCode);
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
