using Pipeline.Adapters.Mail;
using System.CommandLine;
using System.Text.Json;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Validation;
using Pipeline.Core.Text.Receipts;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline validate FILE... [--json] [--drop-path PATH]</c>: judges files exactly as ingestion would, prints the
/// report, stores nothing. Exit 0 when every file is accepted (warnings allowed), 1 when any is rejected, 2 when a
/// file cannot be opened or the arguments are wrong.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(TimeProvider time)
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "Submission files to check (.json, .csv or .xlsx).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print the reports as a JSON array (the receipt format) instead of text." };
        var dropPath = new Option<string?>("--drop-path")
        {
            Description = "Where the file was (or will be) dropped, submissions/{organisation}/{yyyy-MM}/ (file name optional): the content must agree with it.",
        };
        var dataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Pipeline data folder (accepted for symmetry with other commands; validate stores nothing)." };
        var command = new Command("validate", "Check submission files against the contract and print what to fix. Nothing is stored.")
        {
            files, json, dropPath, dataDir,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(files) ?? [],
            parseResult.GetValue(json),
            parseResult.GetValue(dropPath),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            time,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo[] files, bool json, string? dropPath, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        var validator = new SubmissionValidator(ReferenceData.Embedded, new ValidationOptions { IsDeliverableAddress = MailAddresses.IsDeliverable }, time);
        var reports = new List<ValidationReport>();
        var drops = new List<DropPath?>();
        var environmentProblem = false;
        foreach (var file in files)
        {
            DropPath? drop = null;
            if (dropPath is not null && (drop = ParseDropPath(dropPath, file.Name)) is null)
            {
                await error.WriteLineAsync($"pipeline validate: --drop-path '{dropPath}' is not of the form submissions/{{organisation}}/{{yyyy-MM}}/[file].").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            try
            {
                var stream = file.OpenRead();
                await using (stream.ConfigureAwait(false))
                {
                    var result = await validator.ValidateAsync(stream, new SubmissionInput(file.Name, stream.Length, drop), cancellationToken).ConfigureAwait(false);
                    reports.Add(result.Report);
                    drops.Add(drop);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                environmentProblem = true;
                var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message;
                await error.WriteLineAsync($"pipeline validate: cannot read {file.FullName}: {reason}. Check the path and that you may read it.").ConfigureAwait(false);
            }
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(reports, ReceiptJson.Options)).ConfigureAwait(false);
        }
        else
        {
            for (var i = 0; i < reports.Count; i++)
            {
                await output.WriteAsync(ReceiptText.Render(reports[i], drops[i])).ConfigureAwait(false);
            }
        }

        return environmentProblem ? ExitCodes.UsageOrEnvironment
            : reports.Any(r => !r.IsAccepted) ? ExitCodes.Rejected
            : ExitCodes.Success;
    }

    /// <summary>A folder path gets the file's own name appended; a "submissions/..." prefix is optional.</summary>
    private static DropPath? ParseDropPath(string path, string fileName)
    {
        var trimmed = path.Replace('\\', '/').TrimEnd('/');
        var asFolder = string.IsNullOrEmpty(Path.GetExtension(trimmed)) ? trimmed + "/" + fileName : trimmed;
        var drop = DropPath.TryParse(asFolder);
        return drop is null || drop.OrganisationCode == DropPath.SubmissionsRoot ? null : drop;
    }
}
