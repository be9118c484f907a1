using System.CommandLine;
using System.Globalization;
using Pipeline.Adapters.Store;
using Pipeline.Core.Alerts.Routing;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline contacts import|list|add|remove</c>: who receives alert emails, kept in the SQL store so every host (the
/// Azure Functions too) routes the same way. <c>import</c> replaces them all with a contacts CSV (<c>scope,code,name,email</c>,
/// docs/alerts.md §4), all or nothing.
/// </summary>
internal static class ContactsCommand
{
    public static Command Create()
    {
        var command = new Command("contacts", "Manage who receives alert emails (kept in the SQL store; used by every host).");
        command.Subcommands.Add(Import());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Contacts CSV with the header scope,code,name,email (docs/alerts.md §4)." };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("import", "Replace every stored contact with the rows of a contacts CSV (all or nothing).") { file, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                return await UsageAsync($"{path.FullName} does not exist.").ConfigureAwait(false);
            }

            ContactDirectory parsed;
            using (var stream = path.OpenRead())
            {
                parsed = ContactDirectory.Parse(stream, path.FullName);
            }

            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var stored = await services.Contacts.ReplaceAllAsync(parsed.Contacts, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"{stored} contact(s) stored in {services.Store.Describe()} from {path.FullName}; they replace any stored before.")).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List()
    {
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("list", "List the stored contacts as CSV (scope,code,name,email), ready to edit and import again.") { dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var contacts = await services.Contacts.ListAsync(cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync("scope,code,name,email").ConfigureAwait(false);
            foreach (var c in contacts)
            {
                await Console.Out.WriteLineAsync($"{SqlContactStore.ToWire(c.Scope)},{Csv(c.Code)},{Csv(c.Name)},{Csv(c.Email)}").ConfigureAwait(false);
            }

            if (contacts.Count == 0)
            {
                await Console.Error.WriteLineAsync("pipeline contacts: none stored (alert emails then go to the data directory's contacts.csv, if any).").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Add()
    {
        var (scope, code, email) = KeyOptions();
        var name = new Option<string>("--name") { Description = "The recipient's name, shown in the To header.", Required = true };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("add", "Add one recipient (or rename one that exists).") { scope, code, name, email, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            // The same checks as a CSV row, so the store never holds what an import would refuse.
            var row = $"scope,code,name,email\n{parseResult.GetValue(scope)},{Csv(parseResult.GetValue(code)!)},{Csv(parseResult.GetValue(name)!)},{Csv(parseResult.GetValue(email)!)}\n";
            Contact contact;
            try
            {
                using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(row));
                contact = ContactDirectory.Parse(stream, "the options").Contacts.Single();
            }
            catch (InvalidDataException ex)
            {
                return await UsageAsync(ex.Message.Replace("the options, line 2: ", string.Empty, StringComparison.Ordinal)).ConfigureAwait(false);
            }

            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var added = await services.Contacts.AddAsync(contact, cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"{(added ? "added" : "updated")}: {SqlContactStore.ToWire(contact.Scope)} {contact.Code} {contact.Name} <{contact.Email}>").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Remove()
    {
        var (scope, code, email) = KeyOptions();
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("remove", "Remove one recipient.") { scope, code, email, dataDirectory };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            var which = parseResult.GetValue(scope) switch
            {
                "lmns" => ContactScope.Lmns,
                "region" => ContactScope.Region,
                _ => ContactScope.Default,
            };
            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var removed = await services.Contacts.RemoveAsync(which, parseResult.GetValue(code)!.Trim(), parseResult.GetValue(email)!.Trim(), cancellationToken).ConfigureAwait(false);
            if (!removed)
            {
                return await UsageAsync("no such contact ('pipeline contacts list' shows them).").ConfigureAwait(false);
            }

            await Console.Out.WriteLineAsync("removed.").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (Option<string> Scope, Option<string> Code, Option<string> Email) KeyOptions()
    {
        var scope = new Option<string>("--scope") { Description = "lmns, region or default.", Required = true, HelpName = "SCOPE" };
        scope.AcceptOnlyFromAmong("lmns", "region", "default");
        var code = new Option<string>("--code") { Description = "LMNS code (e.g. QOP), region code (e.g. Y62), or * for default.", Required = true, HelpName = "CODE" };
        var email = new Option<string>("--email") { Description = "The recipient's address.", Required = true, HelpName = "ADDRESS" };
        return (scope, code, email);
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static async Task<int> UsageAsync(string message)
    {
        await Console.Error.WriteLineAsync("pipeline contacts: " + message).ConfigureAwait(false);
        return ExitCodes.UsageOrEnvironment;
    }
}
