using System.CommandLine;
using Pipeline.Adapters.Store;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline migrate</c>: brings the SQL schema up to date and reloads reference data. With <c>--app-user</c> (SQL
/// Server, run by the deployment as an Entra administrator) it also makes the app's managed identity a database user
/// with the roles it needs.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var appUser = new Option<string?>("--app-user")
        {
            Description = "SQL Server: also create this Entra principal (the app's managed identity name) as a database user with db_datareader, db_datawriter and db_ddladmin (safe to repeat).",
            HelpName = "NAME",
        };
        var appUserObjectId = new Option<string?>("--app-user-object-id")
        {
            Description = "The principal's object id (the managed identity's principal id), so SQL need not look the name up in Entra.",
            HelpName = "GUID",
        };
        var command = new Command("migrate", "Apply pending SQL schema migrations and reload reference data (safe to repeat).") { dataDirectory, appUser, appUserObjectId };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            Guid? objectId = null;
            if (parseResult.GetValue(appUserObjectId) is { } text)
            {
                if (!Guid.TryParse(text, out var parsed))
                {
                    await Console.Error.WriteLineAsync($"pipeline migrate: --app-user-object-id '{text}' is not a GUID (az identity show --query principalId).").ConfigureAwait(false);
                    return ExitCodes.UsageOrEnvironment;
                }

                objectId = parsed;
            }

            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"{services.Store.Describe()}: schema up to date, reference data loaded ({services.Reference.Trusts.Count} trusts).")
                .ConfigureAwait(false);
            if (parseResult.GetValue(appUser) is { } user)
            {
                if (services.Store is not SqlServerStore sqlServer)
                {
                    await Console.Error.WriteLineAsync("pipeline migrate: --app-user applies to SQL Server only (Pipeline:Store:Provider=sqlserver).").ConfigureAwait(false);
                    return ExitCodes.UsageOrEnvironment;
                }

                await sqlServer.EnsureAppUserAsync(user.Trim(), objectId, cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"database user [{user.Trim()}]: present, with db_datareader, db_datawriter and db_ddladmin.").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
