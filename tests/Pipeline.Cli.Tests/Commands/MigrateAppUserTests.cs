namespace Pipeline.Cli.Tests.Commands;

/// <summary><c>pipeline migrate --app-user</c> (the deployment's database step) refuses what it cannot do, saying why.</summary>
public sealed class MigrateAppUserTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pipeline-cli-migrate-").FullName;
    private readonly PipelineProcess _pipeline;

    public MigrateAppUserTests() => _pipeline = new PipelineProcess(_work);

    [Fact]
    public async Task An_app_user_on_the_embedded_sqlite_store_exits_2_after_migrating()
    {
        var (exit, output, error) = await _pipeline.RunAsync("migrate", "--app-user", "id-pipeline-abc");

        Assert.Equal(2, exit);
        Assert.Contains("schema up to date", output, StringComparison.Ordinal);
        Assert.Contains("--app-user applies to SQL Server only", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_id_that_is_not_a_guid_exits_2_before_touching_the_store()
    {
        var (exit, output, error) = await _pipeline.RunAsync("migrate", "--app-user", "id-pipeline-abc", "--app-user-object-id", "not-a-guid");

        Assert.Equal(2, exit);
        Assert.Contains("--app-user-object-id 'not-a-guid' is not a GUID", error, StringComparison.Ordinal);
        Assert.DoesNotContain("schema up to date", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
