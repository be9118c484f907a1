using Pipeline.Core.Validation;
using Pipeline.Adapters.Storage;
using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Pipeline.App.Drop;
using Pipeline.App.Configuration;
using Pipeline.App.Processing;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline watch</c>: polls the drop until Ctrl+C, processing each new file as it settles.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var drop = new Option<string?>("--drop")
        {
            Description = "A folder laid out {ODS code}/{yyyy-MM}/{file} to take files from (copied into the data directory); default: the data directory's submissions/.",
            HelpName = "DIR",
        };
        var workers = new Option<int?>("--workers")
        {
            Description = "Files processed at once (default 1, or Pipeline:Drop:Workers); files of one trust and month always go one after another.",
            HelpName = "N",
        };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("watch", "Watch the drop and process each new submission as it arrives; stop with Ctrl+C.") { drop, workers, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var settings = parseResult.GetValue(workers) is { } n
                ? new Dictionary<string, string?> { ["Pipeline:Drop:Workers"] = n.ToString(CultureInfo.InvariantCulture) }
                : null;
            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken, settings).ConfigureAwait(false);
            var interval = TimeSpan.FromSeconds(services.Options.Drop.PollSeconds);
            var folder = parseResult.GetValue(drop);
            if (folder is not null && !Directory.Exists(folder))
            {
                await Console.Error.WriteLineAsync($"pipeline watch: drop folder {folder} does not exist; create it or fix --drop.").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            await Console.Out.WriteLineAsync($"Watching {folder ?? services.Objects.Describe(SubmissionProcessor.SubmissionsArea)} every {interval.TotalSeconds:0.#} s; Ctrl+C stops.")
                .ConfigureAwait(false);
            if (folder is null)
            {
                await services.Drop.RunAsync(interval, r => Console.Out.WriteLine(ResultTable.Line(r)), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WatchFolderAsync(services, folder, interval, cancellationToken).ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync("Stopped.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    // An outside folder: each new or changed file is handed to the processor, which copies it in; settled ones are remembered.
    private static async Task WatchFolderAsync(PipelineServices services, string folder, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            await PollFolderAsync(services, folder, interval, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C mid-poll: a file cut short is not settled, so the next run processes it again (at-least-once).
        }
    }

    private static async Task PollFolderAsync(PipelineServices services, string folder, TimeSpan interval, CancellationToken cancellationToken)
    {
        var handled = new HashSet<(string Path, long Size, DateTime Modified)>();

        // A link or special file is stamped without being followed or opened.
        static (string Path, long Size, DateTime Modified) Stamp(string path) => FileKind.NotRegular(path) is null
            ? (path, new FileInfo(path).Length, new FileInfo(path).LastWriteTimeUtc)
            : (path, 0, DateTime.UnixEpoch);
        var minimumAge = TimeSpan.FromSeconds(services.Options.Drop.MinimumAgeSeconds);
        while (!cancellationToken.IsCancellationRequested)
        {
            var pending = DropFolder.Entries(folder)
                .Where(path => !Path.GetFileName(path).StartsWith('.'))
                .Select(Stamp)
                .Where(file => !handled.Contains(file) && TimeProvider.System.GetUtcNow() - file.Modified >= minimumAge)
                .OrderBy(f => f.Path, StringComparer.Ordinal)
                .ToList();
            // One batch (#18): the pending files prepared on up to `workers` at once, then one load transaction per batch with
            // detection and alerts once for what it touched; one trust-month's files stay in order.
            var paths = pending.Select(f => f.Path).ToList();
            var items = await services.Processor.ProcessFilesAsync(paths, cancellationToken, services.Options.Drop.Workers).ConfigureAwait(false);
            var settled = new bool?[pending.Count];
            for (var i = 0; i < pending.Count; i++)
            {
                var (file, item) = (pending[i], items[i]);
                if (item.Result is { } result)
                {
                    await Console.Out.WriteLineAsync(ResultTable.Line(result)).ConfigureAwait(false);
                    settled[i] = result.IsSettled;
                }
                else if (item.Error is DbException ex)
                {
                    // The store briefly unavailable (locked, restarting): the file is not settled, so the next poll retries it, and
                    // the month's later files wait too, so they are not received before it.
                    var said = $"{SubmitterText.Echo(file.Path)}: the SQL store failed ({ex.Message}); retrying on the next poll.";
                    await Console.Error.WriteLineAsync(said).ConfigureAwait(false);
                }
                else if (item.Error is { } error)
                {
                    // Anything else is this file's verdict (unplaceable, not a regular file, unreadable): said once, not retried.
                    await Console.Error.WriteLineAsync(SubmitterText.ShowControls(error.Message)).ConfigureAwait(false);
                    settled[i] = true;
                }
            }

            for (var i = 0; i < pending.Count; i++)
            {
                if (settled[i] == true)
                {
                    handled.Add(pending[i]);
                }
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
