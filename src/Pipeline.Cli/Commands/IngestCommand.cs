using Pipeline.Core.Validation;
using Pipeline.Adapters.Storage;
using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Pipeline.App.Detection;
using Pipeline.App.Processing;
using Pipeline.Core.Detection;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline ingest PATH…</c>: processes files (or every file under folders) once, with a summary.</summary>
internal static class IngestCommand
{
    private const string WorkersKey = "Pipeline:Drop:Workers";

    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Description = "Submission files, or folders to take every file from (a file in {ODS code}/{yyyy-MM}/ is filed there; others by their content).",
            Arity = ArgumentArity.OneOrMore,
        };
        var backfill = new Option<bool>("--backfill")
        {
            Description = "Importing history: load every file without detection and alerts, then recompute all comparisons once (much faster; no alert emails for the history).",
        };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("ingest", "Validate and load submission files into the lake and the SQL store; exit 1 if any is rejected.") { paths, backfill, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var files = Expand(parseResult.GetValue(paths) ?? [], out var missing);
            foreach (var path in missing)
            {
                await Console.Error.WriteLineAsync($"pipeline ingest: {path} does not exist; give a file or a folder of files.").ConfigureAwait(false);
            }

            if (files.Count == 0)
            {
                await Console.Error.WriteLineAsync("pipeline ingest: no files to ingest.").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var deferred = parseResult.GetValue(backfill);
            var configuration = CliEnvironment.Configuration(parseResult.GetValue(dataDirectory));
            var services = await CliEnvironment.StartAsync(configuration, TimeProvider.System, cancellationToken, deferred).ConfigureAwait(false);
            // One batch (#18): every file validated and written, then one transaction per batch whose detection and alerts run
            // once for what the batch touched; a second file for the same trust and month goes in the next batch, in order.
            // Files prepared at once: Pipeline:Drop:Workers when set; else one per core (at most 4), since a one-off run owns
            // the machine until it ends and its outcome is the same with any number (`watch` keeps its default of 1).
            var workers = configuration[WorkersKey] is null ? SubmissionProcessor.DefaultIngestWorkers : services.Options.Drop.Workers;
            var items = await services.Processor.ProcessFilesAsync(files, cancellationToken, workers).ConfigureAwait(false);
            var rows = new List<(string File, ProcessingResult? Result, string? Error)>(files.Count);
            for (var i = 0; i < files.Count; i++)
            {
                var (file, item) = (files[i], items[i]);
                // One file's failure is that file's verdict: the rest of the batch is still processed.
                rows.Add((file, item.Result, item.Result is not null ? null
                    : item.Error is SubmissionPlacementException or IOException or UnauthorizedAccessException ? item.Error.Message
                    : item.Error is { } ex ? $"could not be processed ({ex.GetType().Name}: {ex.Message})"
                    : "not processed: an earlier file for the same trust and month could not be received; run again"));
                if (files.Count > 1)
                {
                    var (_, result, error) = rows[^1];
                    await Console.Error.WriteLineAsync($"[{i + 1}/{files.Count}] {SubmitterText.Echo(file)}: {result?.Outcome.ToString().ToLowerInvariant() ?? "error: " + error}")
                        .ConfigureAwait(false);
                }
            }

            ResultTable.Write(rows, services.Objects.Describe);
            if (deferred)
            {
                var summary = await services.Provider.GetRequiredService<DetectionRecompute>()
                    .RunAsync(null, null, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"backfill: recomputed {summary.Organisations} organisations over {summary.Months} month(s): {summary.Comparisons} comparisons, {summary.Gradients} gradients, {summary.Findings} data-quality findings; " +
                    $"alerts: {summary.AlertEvents} event(s) written, {summary.AlertNotifications} email(s) queued for {summary.AlertGroups} recipient group(s)."))
                    .ConfigureAwait(false);
            }

            return missing.Count > 0 ? ExitCodes.UsageOrEnvironment : ResultTable.ExitCode(rows);
        }));
        return command;
    }

    private static List<string> Expand(IEnumerable<string> paths, out List<string> missing)
    {
        missing = [];
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
            {
                // Links inside the folder are listed, not followed: each gets its own "not a regular file" verdict.
                files.AddRange(DropFolder.Entries(path)
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                files.Add(path);
            }
            else
            {
                missing.Add(path);
            }
        }

        return files;
    }
}
