using Pipeline.Adapters.Store;

namespace Pipeline.Adapters.Tests.Store;

public sealed class MigrationScriptTests
{
    [Fact]
    public void Both_engines_have_the_same_numbered_migrations_in_order()
    {
        var sqlite = Migrations.Scripts(Migrations.SqliteFolder).Select(s => s.Name).ToList();
        var sqlServer = Migrations.Scripts(Migrations.SqlServerFolder).Select(s => s.Name).ToList();

        Assert.Equal(sqlite, sqlServer);
        Assert.Equal(sqlite.Order(StringComparer.Ordinal), sqlite);
        Assert.Equal(sqlite.Count, sqlite.Select(n => n[..4]).Distinct().Count());
        Assert.Contains("0006_v_submission_status.sql", sqlite);
    }
}
