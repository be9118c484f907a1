using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Adapters.Store;
using Pipeline.App.Alerts;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Reference;

namespace Pipeline.App.Tests.Alerts;

/// <summary>
/// Where routing finds its contacts: the store's contact table (every host, Azure included), or, while that is empty,
/// the embedded default's contacts.csv.
/// </summary>
public sealed class ContactSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-contacts-").FullName;

    [Fact]
    public async Task Contacts_in_the_store_are_used_and_the_file_is_not_read()
    {
        var store = await StoreAsync();
        await new SqlContactStore(store).ReplaceAllAsync([new Contact(ContactScope.Lmns, "QOP", "GM lead", "gm.lead@nhs.example")], TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(FilePath, "scope,code,name,email\nlmns,QOP,File lead,file.lead@nhs.example\n", TestContext.Current.CancellationToken);

        var directory = await LoadAsync(store);

        Assert.Equal(["gm.lead@nhs.example"], directory.Contacts.Select(c => c.Email));
    }

    [Fact]
    public async Task With_no_stored_contacts_the_file_is_read_and_without_either_there_are_none()
    {
        var store = await StoreAsync();
        Assert.Empty((await LoadAsync(store)).Contacts);

        await File.WriteAllTextAsync(FilePath, "scope,code,name,email\nlmns,QOP,File lead,file.lead@nhs.example\n", TestContext.Current.CancellationToken);

        Assert.Equal(["file.lead@nhs.example"], (await LoadAsync(store)).Contacts.Select(c => c.Email));
    }

    [Fact]
    public async Task Codes_and_addresses_are_one_contact_whatever_their_case()
    {
        var store = await StoreAsync();
        var contacts = new SqlContactStore(store);
        Assert.True(await contacts.AddAsync(new Contact(ContactScope.Lmns, "QOP", "GM lead", "GM.Lead@nhs.example"), TestContext.Current.CancellationToken));

        Assert.False(await contacts.AddAsync(new Contact(ContactScope.Lmns, "qop", "GM lead (renamed)", "gm.lead@nhs.example"), TestContext.Current.CancellationToken));

        Assert.Equal(["GM lead (renamed)"], (await contacts.ListAsync(TestContext.Current.CancellationToken)).Select(c => c.Name));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string FilePath => Path.Combine(_directory, "contacts.csv");

    private async Task<SqliteStore> StoreAsync()
    {
        var store = SqliteStore.ForDataDirectory(_directory, ReferenceData.Embedded, new StoreSettings(), TimeProvider.System);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return store;
    }

    private Task<ContactDirectory> LoadAsync(SqliteStore store) =>
        store.ReadAsync((session, ct) => new ContactSource(FilePath, NullLogger.Instance).LoadAsync(session, ct), TestContext.Current.CancellationToken);
}
