using System.CommandLine;
using Pipeline.Cli;

var root = new RootCommand("Regional maternity equity pipeline: validate, ingest, detect and alert on trusts' equity submissions.");
foreach (var command in CommandCatalogue.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
