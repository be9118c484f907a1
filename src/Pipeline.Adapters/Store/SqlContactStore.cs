using System.Data.Common;
using Dapper;
using Pipeline.Core.Alerts.Routing;

namespace Pipeline.Adapters.Store;

/// <summary>
/// The alert contacts in the SQL store (<c>contact</c>, migration 0030): read by routing in every host, inside the caller's
/// transaction when there is one, and managed by <c>pipeline contacts</c>. Both engines run the same statements.
/// </summary>
public sealed class SqlContactStore(SqlPipelineStore store)
{
    /// <summary>Longest code and address the table holds (its column widths).</summary>
    public const int MaxCodeLength = 16;

    public const int MaxEmailLength = 320;

    public const int MaxNameLength = 200;

    internal const string ListSql = "select scope, code, name, email from contact order by scope, code, email";

    internal const string InsertSql =
        "insert into contact (scope, code, email, name, updated_at) select @scope, @code, @email, @name, @updated " +
        "where not exists (select 1 from contact where scope = @scope and code = @code and email = @email)";

    internal const string UpdateNameSql = "update contact set name = @name, updated_at = @updated where scope = @scope and code = @code and email = @email";

    internal const string DeleteOneSql = "delete from contact where scope = @scope and code = @code and email = @email";

    internal const string DeleteAllSql = "delete from contact";

    /// <summary>Every contact, in a stable order; runs on the caller's connection and transaction.</summary>
    internal static async Task<IReadOnlyList<Contact>> ListAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = await connection.QueryAsync<(string Scope, string Code, string Name, string Email)>(
            new CommandDefinition(ListSql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => new Contact(ParseScope(r.Scope), r.Code, r.Name, r.Email))];
    }

    public Task<IReadOnlyList<Contact>> ListAsync(CancellationToken cancellationToken) =>
        store.ReadAsync((session, ct) => ListAsync(session.Connection, session.Transaction, ct), cancellationToken);

    /// <summary>Adds a contact, or renames it when the scope, code and address exist; true when it was new.</summary>
    public Task<bool> AddAsync(Contact contact, CancellationToken cancellationToken) =>
        InTransactionAsync(async (connection, transaction) => await AddAsync(connection, transaction, Checked(contact), cancellationToken).ConfigureAwait(false), cancellationToken);

    /// <summary>Removes one recipient; true when it existed.</summary>
    public Task<bool> RemoveAsync(ContactScope scope, string code, string email, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
                DeleteOneSql, new { scope = ToWire(scope), code, email }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0,
            cancellationToken);

    /// <summary>Replaces every contact with <paramref name="contacts"/> in one transaction (an import: all or nothing).</summary>
    public Task<int> ReplaceAllAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        var valid = contacts.Select(Checked).ToList();
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                await connection.ExecuteAsync(new CommandDefinition(DeleteAllSql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                var added = 0;
                foreach (var contact in valid)
                {
                    added += await AddAsync(connection, transaction, contact, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                }

                return added;
            },
            cancellationToken);
    }

    public static string ToWire(ContactScope scope) => scope switch
    {
        ContactScope.Lmns => "lmns",
        ContactScope.Region => "region",
        _ => "default",
    };

    private static ContactScope ParseScope(string scope) => scope switch
    {
        "lmns" => ContactScope.Lmns,
        "region" => ContactScope.Region,
        "default" => ContactScope.Default,
        _ => throw new InvalidDataException($"The contact table holds scope '{scope}', which is not lmns, region or default."),
    };

    private static Contact Checked(Contact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        var problem = contact.Code.Length is 0 or > MaxCodeLength ? $"code '{contact.Code}' must be 1 to {MaxCodeLength} characters (an LMNS code such as QOP, a region code such as Y62, or * for default)"
            : contact.Email.Length > MaxEmailLength ? $"email address is longer than {MaxEmailLength} characters"
            : contact.Name.Length > MaxNameLength ? $"name is longer than {MaxNameLength} characters"
            : null;
        return problem is null ? contact : throw new InvalidDataException($"Contact {ToWire(contact.Scope)},{contact.Code},{contact.Email}: {problem}.");
    }

    private async Task<bool> AddAsync(DbConnection connection, DbTransaction transaction, Contact contact, CancellationToken cancellationToken)
    {
        var row = new { scope = ToWire(contact.Scope), code = contact.Code, email = contact.Email, name = contact.Name, updated = store.Dialect.Timestamp(store.Now()) };
        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertSql, row, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (inserted == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(UpdateNameSql, row, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        return inserted > 0;
    }

    private Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        store.WriteAsync((session, _) => work(session.Connection, session.Transaction), cancellationToken);
}
