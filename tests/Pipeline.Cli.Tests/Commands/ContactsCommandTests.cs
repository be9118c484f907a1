namespace Pipeline.Cli.Tests.Commands;

/// <summary><c>pipeline contacts import|list|add|remove</c> as a platform engineer runs them (the real executable, SQLite store).</summary>
public sealed class ContactsCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-cli-contacts-").FullName;
    private readonly PipelineProcess _pipeline;

    public ContactsCommandTests() => _pipeline = new PipelineProcess(_work);

    [Fact]
    public async Task Imported_contacts_are_listed_as_csv_and_add_and_remove_change_them()
    {
        var file = Path.Combine(_work, "contacts.csv");
        await File.WriteAllTextAsync(file, "scope,code,name,email\nlmns,QOP,GM lead,gm.lead@nhs.example\ndefault,*,\"Region, on call\",oncall@nhs.example\n", TestContext.Current.CancellationToken);

        var (exit, output, error) = await _pipeline.RunAsync("contacts", "import", file);
        Assert.True(exit == 0, error);
        Assert.Contains("2 contact(s) stored", output, StringComparison.Ordinal);

        Assert.Equal(0, (await _pipeline.RunAsync("contacts", "add", "--scope", "region", "--code", "Y62", "--name", "NW lead", "--email", "nw.lead@nhs.example")).ExitCode);
        Assert.Equal(0, (await _pipeline.RunAsync("contacts", "remove", "--scope", "lmns", "--code", "QOP", "--email", "gm.lead@nhs.example")).ExitCode);

        var listed = (await _pipeline.RunAsync("contacts", "list")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["scope,code,name,email", "default,*,\"Region, on call\",oncall@nhs.example", "region,Y62,NW lead,nw.lead@nhs.example"], listed);
    }

    [Fact]
    public async Task A_bad_contacts_file_is_refused_with_its_line_and_changes_nothing()
    {
        var good = Path.Combine(_work, "good.csv");
        await File.WriteAllTextAsync(good, "scope,code,name,email\nlmns,QOP,GM lead,gm.lead@nhs.example\n", TestContext.Current.CancellationToken);
        Assert.Equal(0, (await _pipeline.RunAsync("contacts", "import", good)).ExitCode);
        var bad = Path.Combine(_work, "bad.csv");
        await File.WriteAllTextAsync(bad, "scope,code,name,email\nlmns,QOP,GM lead,gm.lead@nhs.example\nward,QOP,Someone,someone@nhs.example\n", TestContext.Current.CancellationToken);

        var (exit, _, error) = await _pipeline.RunAsync("contacts", "import", bad);

        Assert.Equal(2, exit);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("scope 'ward' is not one of lmns, region, default", error, StringComparison.Ordinal);
        Assert.Contains("lmns,QOP,GM lead,gm.lead@nhs.example", (await _pipeline.RunAsync("contacts", "list")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_contact_that_is_not_there_exits_2_saying_how_to_see_them()
    {
        var (exit, _, error) = await _pipeline.RunAsync("contacts", "remove", "--scope", "default", "--code", "*", "--email", "nobody@nhs.example");

        Assert.Equal(2, exit);
        Assert.Contains("pipeline contacts list", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
