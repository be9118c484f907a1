using System.CommandLine;

namespace Pipeline.Cli;

/// <summary>Every <c>pipeline</c> sub-command, one file each under Commands/.</summary>
internal static class CommandCatalogue
{
    public static IEnumerable<Command> All()
    {
        yield return Commands.IngestCommand.Create();
        yield return Commands.WatchCommand.Create();
        yield return Commands.StatusCommand.Create();
        yield return Commands.MigrateCommand.Create();
    }
}
