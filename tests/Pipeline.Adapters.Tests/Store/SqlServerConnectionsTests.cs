using Microsoft.Data.SqlClient;
using Pipeline.Adapters.Store;

namespace Pipeline.Adapters.Tests.Store;

public sealed class SqlServerConnectionsTests
{
    private const string ClientId = "6f1c2e0a-3b7d-4c55-9a8e-2d4f6b8c0e1a";

    [Theory]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline", SqlSignIn.DefaultCredential, null)]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;Authentication=Active Directory Default", SqlSignIn.DefaultCredential, null)]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;Authentication=Active Directory Default;User Id=" + ClientId, SqlSignIn.DefaultCredential, ClientId)]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;Authentication=Active Directory Managed Identity;User Id=" + ClientId, SqlSignIn.ManagedIdentity, ClientId)]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;Authentication=ActiveDirectoryMSI;UID=" + ClientId, SqlSignIn.ManagedIdentity, ClientId)]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;Authentication=Active Directory Managed Identity", SqlSignIn.ManagedIdentity, null)]
    public void Entra_modes_become_a_token_callback_without_the_keyword_or_user(string connectionString, SqlSignIn signIn, string? clientId)
    {
        var plan = SqlServerConnections.Plan(connectionString);
        using var connection = SqlServerConnections.Create(connectionString);

        Assert.Equal((signIn, clientId), (plan.SignIn, plan.ClientId));
        Assert.NotNull(connection.AccessTokenCallback);
        var given = new SqlConnectionStringBuilder(connection.ConnectionString);
        Assert.Equal((SqlAuthenticationMethod.NotSpecified, string.Empty, "pipeline"), (given.Authentication, given.UserID, given.InitialCatalog));
    }

    [Theory]
    [InlineData("Server=tcp:x.database.windows.net;Database=pipeline;User ID=sa;Password=secret")]
    [InlineData("Server=localhost;Database=pipeline;Integrated Security=true")]
    [InlineData("Server=localhost;Database=pipeline;Authentication=Sql Password;User ID=sa;Password=secret")]
    public void Sql_and_integrated_sign_in_are_left_as_given(string connectionString)
    {
        var plan = SqlServerConnections.Plan(connectionString);
        using var connection = SqlServerConnections.Create(connectionString);

        Assert.Equal(SqlSignIn.ConnectionString, plan.SignIn);
        Assert.Null(connection.AccessTokenCallback);
        Assert.Equal(connectionString, plan.ConnectionString);
    }

    [Theory]
    [InlineData("Server=x;Database=pipeline;Authentication=Active Directory Interactive", "Authentication=ActiveDirectoryInteractive")]
    [InlineData("Server=x;Database=pipeline;Authentication=Active Directory Password;User ID=a@b.c;Password=p", "Authentication=ActiveDirectoryPassword")]
    [InlineData("Server=x;Database=pipeline;Authentication=Active Directory Default;Password=p", "takes no password")]
    public void A_sign_in_this_build_cannot_perform_is_refused_with_the_fix(string connectionString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => SqlServerConnections.Plan(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_never_shows_the_password()
    {
        var text = SqlServerConnections.Describe("Server=tcp:db.example;Database=pipeline;User ID=sa;Password=hunter2");

        Assert.Equal("SQL Server tcp:db.example/pipeline", text);
    }
}
