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
        var lmns = new Option<string?>("--lmns") { Description = "Only the trusts of this LMNS (its ICB code, membership in force that month).", HelpName = "CODE" };
        var region = new Option<string?>("--region") { Description = "Only the trusts of this NHS England region (for example Y56).", HelpName = "CODE" };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("status", "Expected trusts for a month (closures and mergers honoured): on time, late or missing.") { period, json, lmns, region, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            if (!Period.TryParse(parseResult.GetValue(period), out var month))
            {
                await Console.Error.WriteLineAsync($"pipeline status: --period '{parseResult.GetValue(period)}' is not a month; use yyyy-MM, for example 2026-10.")
                    .ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var (lmnsCode, regionCode) = (parseResult.GetValue(lmns)?.Trim().ToUpperInvariant(), parseResult.GetValue(region)?.Trim().ToUpperInvariant());
            if (lmnsCode is not null && services.Reference.FindLmns(lmnsCode, month) is null)
            {
                await Console.Error.WriteLineAsync($"pipeline status: --lmns '{lmnsCode}' is not an LMNS in {month}; use its ICB code, for example QOP.").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            if (regionCode is not null && services.Reference.FindRegion(regionCode) is null)
            {
                await Console.Error.WriteLineAsync($"pipeline status: --region '{regionCode}' is not an NHS England region; use its code, for example Y56.").ConfigureAwait(false);
                return ExitCodes.UsageOrEnvironment;
            }

            var rows = (await services.Store.GetSubmissionStatusAsync(month, cancellationToken).ConfigureAwait(false))
                .Where(r => lmnsCode is null || string.Equals(r.LmnsCode, lmnsCode, StringComparison.Ordinal))
                .Where(r => regionCode is null || string.Equals(r.RegionCode, regionCode, StringComparison.Ordinal))
                .ToList();
            if (parseResult.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(rows, Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

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
                        DeliveryStatus.NotYetDue => "not yet due",
                        _ => "[red]missing[/]",
                    },
                    row.FirstAcceptedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "",
                    row.SubmissionCount.ToString(CultureInfo.InvariantCulture),
                    row.RejectedCount.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            var deadline = rows.Count > 0 ? rows[0].DeadlineAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "n/a";
            int Count(string status) => rows.Count(r => r.Status == status);
            await Console.Out.WriteLineAsync(rows.Count == 0
                    ? $"{month}: nothing expected yet (only ended months of the deployment's region(s) are listed)."
                    : $"{month}: {rows.Count} expected, {Count(DeliveryStatus.OnTime)} on time, {Count(DeliveryStatus.Late)} late, " +
                      $"{Count(DeliveryStatus.Missing)} missing, {Count(DeliveryStatus.NotYetDue)} not yet due (deadline {deadline}).")
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
