using Pipeline.App.Processing;
using Pipeline.Core.Validation;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>The per-file summary <c>ingest</c> and <c>watch</c> print, and the exit code it implies.</summary>
internal static class ResultTable
{
    public static void Write(IReadOnlyList<(string File, ProcessingResult? Result, string? Error)> rows, Func<string, string> describe)
    {
        var table = new Table().AddColumns("file", "trust", "period", "outcome", "rows", "errors", "warnings", "submission");
        foreach (var (file, result, error) in rows)
        {
            table.AddRow(
                Markup.Escape(SubmitterText.Echo(file)),
                Markup.Escape(result?.OrganisationCode ?? ""),
                Markup.Escape(result?.ReportingPeriod ?? ""),
                result is null ? "[red]error[/]" : Describe(result),
                (result?.RowCount ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                (result?.ErrorCount ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                (result?.WarningCount ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                result is null ? "" : result.SubmissionId[..12]);
        }

        AnsiConsole.Write(table);
        foreach (var (file, result, error) in rows)
        {
            // Long paths and reasons go below the table, whole, so they can be copied.
            var note = error ?? result switch
            {
                { Outcome: ProcessingOutcome.Rejected, ReceiptHtmlKey: { } receipt } => $"rejected: what to fix is in {describe(receipt)}",
                { Message: { } message } => message,
                _ => null,
            };
            if (note is not null)
            {
                Console.Out.WriteLine($"{SubmitterText.Echo(file)}: {SubmitterText.ShowControls(note)}");
            }
        }
    }

    public static string Line(ProcessingResult result) => SubmitterText.ShowControls(
        $"{SubmitterText.Echo(result.SourceKey)}: {result.Outcome.ToString().ToLowerInvariant()}{(result.AlreadyProcessed ? " (already processed)" : "")}" +
        $"{(result.Message is { } m ? " — " + m : result.ReceiptHtmlKey is { } r ? " — receipt " + r : "")}");

    /// <summary>0 all accepted; 1 any rejected or quarantined; 2 any file that could not be processed.</summary>
    public static int ExitCode(IEnumerable<(string File, ProcessingResult? Result, string? Error)> rows) =>
        rows.Max(r => r.Result switch
        {
            null => ExitCodes.UsageOrEnvironment,
            { Outcome: ProcessingOutcome.Failed } => ExitCodes.UsageOrEnvironment,
            { Outcome: ProcessingOutcome.Rejected or ProcessingOutcome.Quarantined } => ExitCodes.Rejected,
            _ => ExitCodes.Success,
        });

    private static string Describe(ProcessingResult result)
    {
        var text = result.Outcome switch
        {
            ProcessingOutcome.Accepted => "[green]accepted[/]",
            ProcessingOutcome.Superseded => "[yellow]superseded[/]",
            ProcessingOutcome.Rejected => "[red]rejected[/]",
            ProcessingOutcome.Quarantined => "[red]quarantined[/]",
            _ => "[red]failed[/]",
        };
        return result.AlreadyProcessed ? text + " (again)" : text;
    }
}
