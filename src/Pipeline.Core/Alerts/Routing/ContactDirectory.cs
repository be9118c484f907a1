using System.Text.RegularExpressions;
using CsvHelper;
using Pipeline.Core.Notifications;

namespace Pipeline.Core.Alerts.Routing;

public enum ContactScope
{
    Lmns,
    Region,

    /// <summary>Receives what no LMNS or region contact covers, so an unconfigured LMNS does not lose alerts.</summary>
    Default,
}

public sealed record Contact(ContactScope Scope, string Code, string Name, string Email);

/// <summary>
/// Who receives alert emails: deployment configuration (docs/alerts.md §4), read from a CSV file with the header
/// <c>scope,code,name,email</c>. <c>scope</c> is <c>lmns</c> (code = the LMNS/ICB code), <c>region</c> (code = Y56…Y63)
/// or <c>default</c> (code <c>*</c>: the catch-all). Several rows per code give several recipients.
/// </summary>
public sealed partial class ContactDirectory
{
    private readonly IReadOnlyList<Contact> _contacts;

    public ContactDirectory(IEnumerable<Contact> contacts) => _contacts = [.. contacts];

    public IReadOnlyList<Contact> Contacts => _contacts;

    /// <summary>The recipients for a route; the default contacts when the LMNS or region has none.</summary>
    public IReadOnlyList<Recipient> RecipientsFor(AlertRoute route)
    {
        var scope = route.Scope == RoutingScope.Lmns ? ContactScope.Lmns : ContactScope.Region;
        var direct = _contacts.Where(c => c.Scope == scope && string.Equals(c.Code, route.Code, StringComparison.OrdinalIgnoreCase)).ToList();
        var chosen = direct.Count > 0 ? direct : _contacts.Where(c => c.Scope == ContactScope.Default).ToList();
        return [.. chosen.Select(c => new Recipient(c.Name, c.Email)).DistinctBy(r => r.Email.ToUpperInvariant())];
    }

    /// <summary>Reads a contacts CSV; a bad row is an <see cref="InvalidDataException"/> naming the file, line and fix.</summary>
    public static ContactDirectory Parse(Stream csvStream, string sourceName)
    {
        using var csv = CsvReader.Create(csvStream, new CsvReaderOptions { HasHeader = true, TrimWhitespace = true, SkipEmptyLines = true, TrackLineNumbers = true }, leaveOpen: true);
        var contacts = new List<Contact>();
        var headerChecked = false;
        while (csv.Read())
        {
            if (!headerChecked)
            {
                var missing = new[] { "scope", "code", "name", "email" }.Where(h => !csv.Headers.Contains(h, StringComparer.Ordinal)).ToList();
                if (missing.Count > 0)
                {
                    throw new InvalidDataException($"{sourceName}: the header must be 'scope,code,name,email' (missing: {string.Join(", ", missing)}).");
                }

                headerChecked = true;
            }

            contacts.Add(ReadRow(csv, sourceName));
        }

        return new ContactDirectory(contacts);
    }

    private static Contact ReadRow(CsvReader csv, string sourceName)
    {
        string Field(string name) => csv.GetString(name)?.Trim() ?? string.Empty;
        var where = $"{sourceName}, line {csv.LineNumber}";
        var scope = Field("scope") switch
        {
            "lmns" => ContactScope.Lmns,
            "region" => ContactScope.Region,
            "default" => ContactScope.Default,
            var other => throw new InvalidDataException($"{where}: scope '{other}' is not one of lmns, region, default."),
        };
        var code = Field("code");
        if (code.Length == 0)
        {
            throw new InvalidDataException($"{where}: code is empty (an LMNS code such as QOP, a region code such as Y62, or * for default).");
        }

        var email = Field("email");
        if (!EmailShape().IsMatch(email))
        {
            throw new InvalidDataException($"{where}: '{email}' is not an email address.");
        }

        return new Contact(scope, code, Field("name"), email);
    }

    [GeneratedRegex(@"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")]
    private static partial Regex EmailShape();
}
