using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Adapters.Store;
using Pipeline.Core.Model;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline status --period YYYY-MM</c>: which trusts submitted on time, late, or not at all.</summary>
internal static class StatusCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Reporting month, yyyy-MM.", Required = true, HelpName = "YYYY-MM" };
        var json = new Option<bool>("--json") { Description = "Print the rows as JSON." };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("status", "Expected trusts for a month (closures and mergers honoured): on time, late or missing.") { period, json, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            if (!Period.TryParse(parseResult.GetValue(period), out var month))
            {
                await Console.Error.WriteLineAsync($"pipeline status: --period '{parseResult.GetValue(period)}' is not a month; use yyyy-MM, for example 2026-10.")
                    .ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var rows = await services.Store.GetSubmissionStatusAsync(month, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(rows, Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            // The view says "missing" for every trust without an accepted file; before the deadline that is "not yet due".
            var now = TimeProvider.System.GetUtcNow();
            var table = new Table().AddColumns("trust", "name", "LMNS", "status", "first accepted (UTC)", "files", "rejected");
            foreach (var row in rows)
            {
                table.AddRow(
                    row.OrganisationCode,
                    Markup.Escape(row.OrganisationName),
                    row.LmnsCode,
                    row.Status switch
                    {
                        DeliveryStatus.OnTime => "[green]on time[/]",
                        DeliveryStatus.Late => "[yellow]late[/]",
                        _ when now <= row.DeadlineAt => "not yet due",
                        _ => "[red]missing[/]",
                    },
                    row.FirstAcceptedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "",
                    row.SubmissionCount.ToString(CultureInfo.InvariantCulture),
                    row.RejectedCount.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            var deadline = rows.Count > 0 ? rows[0].DeadlineAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "n/a";
            await Console.Out.WriteLineAsync(
                $"{month}: {rows.Count} expected, {rows.Count(r => r.Status == DeliveryStatus.OnTime)} on time, " +
                $"{rows.Count(r => r.Status == DeliveryStatus.Late)} late, {rows.Count(r => r.Status == DeliveryStatus.Missing)} " +
                $"{(rows.Count > 0 && now <= rows[0].DeadlineAt ? "not yet received" : "missing")} (deadline {deadline}).")
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
