using System.CommandLine;
using Pipeline.Cli.Commands;

namespace Pipeline.Cli;

/// <summary>Every <c>pipeline</c> sub-command, one file each under Commands/.</summary>
internal static class CommandCatalogue
{
    public static IEnumerable<Command> All() => All(TimeProvider.System);

    /// <summary>The commands with an explicit clock (tests pass a fake one).</summary>
    public static IEnumerable<Command> All(TimeProvider time)
    {
        yield return ValidateCommand.Create(time);
        yield return DemoCommand.Create(time);
        yield return ReportCommand.Create(time);
        yield return IngestCommand.Create();
        yield return WatchCommand.Create();
        yield return StatusCommand.Create();
        yield return MigrateCommand.Create();
        yield return ContactsCommand.Create();
        yield return AlertsCommand.Create(time);
        yield return SilenceCommand.Create(time);
        yield return NotifyCommand.Create(time);
        yield return RecomputeCommand.Create(time);
    }

    /// <summary>The root command with every sub-command, as <c>pipeline</c> runs it.</summary>
    public static RootCommand Root(TimeProvider time)
    {
        var root = new RootCommand("Regional maternity equity pipeline: validate, ingest, detect and alert on trusts' equity submissions.");
        foreach (var command in All(time))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Argument mistakes exit 2 (usage error) with the parser's messages,
    /// not System.CommandLine's default 1, which the contract reserves for rejected input.
    /// </summary>
    public static async Task<int> InvokeAsync(string[] args, TimeProvider time, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        var parseResult = Root(time).Parse(args);
        // System.CommandLine 2.0.0 leaves Ctrl+C/SIGTERM unhandled by default (dotnet/command-line-api#2739): opt in, so
        // long-running commands (watch) see their cancellation token fire and stop cleanly instead of being killed.
        configuration ??= new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) };
        var error = configuration.Error ?? Console.Error;
        if (parseResult.Errors.Count > 0)
        {
            foreach (var problem in parseResult.Errors)
            {
                await error.WriteLineAsync("pipeline: " + problem.Message).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run 'pipeline --help' (or 'pipeline COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.UsageOrEnvironment;
        }

        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
