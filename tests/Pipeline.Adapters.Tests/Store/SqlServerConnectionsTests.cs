using Pipeline.Adapters.Store;

namespace Pipeline.Adapters.Tests.Store;

public sealed class SqlServerConnectionsTests
{
    [Theory]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline", true)]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;User ID=sa;Password=secret", false)]
    [InlineData("Server=localhost;Database=pipeline;Integrated Security=true", false)]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;Authentication=Active Directory Default", false)]
    public void Only_a_connection_string_without_credentials_or_mode_gets_a_managed_identity_token(string connectionString, bool usesToken)
    {
        Assert.Equal(usesToken, SqlServerConnections.UsesToken(connectionString));
        Assert.Equal(usesToken, SqlServerConnections.Create(connectionString).AccessTokenCallback is not null);
    }

    [Fact]
    public void Description_never_shows_the_password()
    {
        var text = SqlServerConnections.Describe("Server=tcp:db.example;Database=pipeline;User ID=sa;Password=hunter2");

        Assert.Equal("SQL Server tcp:db.example/pipeline", text);
    }
}
