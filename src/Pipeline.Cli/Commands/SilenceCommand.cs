using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.Adapters.Store;
using Pipeline.Core.Alerts;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline silence add|list|remove</c>: mute notifications for alerts matching a fingerprint pattern
/// (<c>level|organisation|indicator|breakdown|group|rule</c>, <c>*</c> wildcards, fewer fields padded with <c>*</c>) until it expires.
/// </summary>
internal static class SilenceCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static Command Create(TimeProvider time)
    {
        var command = new Command("silence", "Hold back alert emails for matching alerts (their state is still kept), with a reason, author and expiry.");
        command.Subcommands.Add(Add(time));
        command.Subcommands.Add(List(time));
        command.Subcommands.Add(Remove(time));
        return command;
    }

    private static Command Add(TimeProvider time)
    {
        var match = new Option<string>("--match")
        {
            Description = "Fingerprint pattern level|organisation|indicator|breakdown|group|rule with * wildcards, e.g. 'organisation|R0A' or '*|*|stillbirth|*|*|spc'.",
            Required = true,
            HelpName = "PATTERN",
        };
        var reason = new Option<string>("--reason") { Description = "Why (shown in 'silence list').", Required = true };
        var author = new Option<string>("--author") { Description = "Who added it.", Required = true };
        var days = new Option<int?>("--days") { Description = "Expires this many days from now (default 30).", HelpName = "N" };
        var until = new Option<string?>("--until") { Description = "Expires at this UTC date or instant (yyyy-MM-dd or ISO 8601); instead of --days.", HelpName = "WHEN" };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("add", "Add a silence; prints its id.") { match, reason, author, days, until, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var now = time.GetUtcNow();
            var matcher = SilenceMatcher.TryParse(parseResult.GetValue(match));
            if (matcher is null)
            {
                return await UsageAsync($"--match '{parseResult.GetValue(match)}' is not a pattern: give up to six |-separated fields, none empty (use * for any).").ConfigureAwait(false);
            }

            DateTimeOffset expires;
            if (parseResult.GetValue(until) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out expires))
                {
                    return await UsageAsync($"--until '{text}' is not a date; use yyyy-MM-dd or an ISO 8601 instant such as 2026-12-01T09:00Z.").ConfigureAwait(false);
                }
            }
            else
            {
                var n = parseResult.GetValue(days) ?? 30;
                if (n is < 1 or > 366)
                {
                    return await UsageAsync($"--days {n}: use 1 to 366.").ConfigureAwait(false);
                }

                expires = now.AddDays(n);
            }

            if (expires <= now)
            {
                return await UsageAsync($"the expiry {expires:yyyy-MM-dd HH:mm} UTC is not in the future.").ConfigureAwait(false);
            }

            var silence = new Silence(
                "s-" + Guid.NewGuid().ToString("N")[..12], matcher, parseResult.GetValue(reason)!.Trim(), parseResult.GetValue(author)!.Trim(), now, expires);
            await WithAlertsAsync(parseResult, dataDirectory, time, a => a.AddSilenceAsync(silence, now, cancellationToken), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(
                string.Create(CultureInfo.InvariantCulture, $"{silence.Id}: silencing {matcher} until {expires:yyyy-MM-dd HH:mm} UTC ({silence.Reason}, {silence.Author}).")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List(TimeProvider time)
    {
        var all = new Option<bool>("--all") { Description = "Include expired silences." };
        var json = new Option<bool>("--json") { Description = "Print the silences as JSON." };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("list", "List active silences (with --all, expired ones too).") { all, json, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var now = time.GetUtcNow();
            var silences = (await WithAlertsAsync(parseResult, dataDirectory, time, a => a.ListSilencesAsync(cancellationToken), cancellationToken).ConfigureAwait(false))
                .Where(s => parseResult.GetValue(all) || s.ExpiresAt > now)
                .ToList();
            if (parseResult.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(
                    silences.Select(s => new Dictionary<string, object>
                    {
                        ["id"] = s.Id,
                        ["match"] = s.Matcher.ToString(),
                        ["reason"] = s.Reason,
                        ["author"] = s.Author,
                        ["starts_at"] = s.StartsAt,
                        ["expires_at"] = s.ExpiresAt,
                        ["active"] = s.IsActiveAt(now),
                    }),
                    Json)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "match", "reason", "author", "expires (UTC)", "active");
            foreach (var s in silences)
            {
                table.AddRow(
                    s.Id, Markup.Escape(s.Matcher.ToString()), Markup.Escape(s.Reason), Markup.Escape(s.Author),
                    s.ExpiresAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), s.IsActiveAt(now) ? "yes" : "no");
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Remove(TimeProvider time)
    {
        var id = new Argument<string>("id") { Description = "The silence id ('silence list' shows it)." };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("remove", "Remove a silence now (notices due for its alerts go out at the next evaluation).") { id, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var which = parseResult.GetValue(id)!;
            var removed = await WithAlertsAsync(parseResult, dataDirectory, time, a => a.RemoveSilenceAsync(which, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (!removed)
            {
                return await UsageAsync($"there is no silence '{which}' ('pipeline silence list --all' shows them).").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync($"{which}: removed.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<T> WithAlertsAsync<T>(
        ParseResult parseResult, Option<string?> dataDirectory, TimeProvider time, Func<SqlAlertStore, Task<T>> action, CancellationToken cancellationToken)
    {
        var services = await CliEnvironment.StartAsync(CliEnvironment.Configuration(parseResult.GetValue(dataDirectory)), time, cancellationToken).ConfigureAwait(false);
        return await services.Store.WriteAsync((session, _) => action(session.Alerts), cancellationToken).ConfigureAwait(false);
    }

    private static async Task WithAlertsAsync(
        ParseResult parseResult, Option<string?> dataDirectory, TimeProvider time, Func<SqlAlertStore, Task> action, CancellationToken cancellationToken) =>
        await WithAlertsAsync<bool>(parseResult, dataDirectory, time, async a =>
        {
            await action(a).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    private static async Task<int> UsageAsync(string message)
    {
        await Console.Error.WriteLineAsync("pipeline silence: " + message).ConfigureAwait(false);
        return ExitCodes.UsageOrEnvironment;
    }
}
