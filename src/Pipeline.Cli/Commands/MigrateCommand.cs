using System.CommandLine;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline migrate</c>: brings the SQL schema up to date and reloads reference data.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("migrate", "Apply pending SQL schema migrations and reload reference data (safe to repeat).") { dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"{services.Store.Describe()}: schema up to date, reference data loaded ({services.Reference.Trusts.Count} trusts).")
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
