using System.CommandLine;
using Pipeline.Cli;

var root = new RootCommand("Regional maternity equity pipeline: validate, ingest, detect and alert on trusts' equity submissions.");
foreach (var command in CommandCatalogue.All())
{
    root.Subcommands.Add(command);
}

// System.CommandLine 2.0.0 leaves Ctrl+C/SIGTERM unhandled by default (dotnet/command-line-api#2739): opt in, so long-running
// commands (watch) see their cancellation token fire and stop cleanly instead of being killed.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(10) };
return await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
