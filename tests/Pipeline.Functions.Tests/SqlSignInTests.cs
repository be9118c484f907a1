using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Pipeline.Adapters.Store;
using Pipeline.Core.Reference;
using Pipeline.Tests.Shared;

namespace Pipeline.Functions.Tests;

/// <summary>
/// The SQL connection strings a deployment really uses, fed through the store's connection code: the one
/// infra/app/function-app.bicep writes for the app, and the ones docs/deploy.md and infra/scripts give for
/// <c>pipeline migrate</c> from a workstation. SqlClient 7 cannot act on <c>Authentication=Active Directory ...</c>
/// itself (that needs a package not used here), so each must come out as a token sign-in with the keyword and user removed.
/// </summary>
public sealed partial class SqlSignInTests
{
    [Fact]
    public void The_bicep_connection_string_signs_in_with_the_app_identitys_token()
    {
        var connectionString = AzureSettings.FilledAppSettings()["Pipeline__Store__ConnectionString"];

        var plan = SqlServerConnections.Plan(connectionString);
        using var connection = SqlServerConnections.Create(connectionString);

        Assert.Contains("Authentication=Active Directory Managed Identity", connectionString, StringComparison.Ordinal);
        Assert.Equal((SqlSignIn.ManagedIdentity, AzureSettings.IdentityClientId), (plan.SignIn, plan.ClientId));
        Assert.NotNull(connection.AccessTokenCallback);
        var opened = new SqlConnectionStringBuilder(connection.ConnectionString);
        Assert.Equal(SqlAuthenticationMethod.NotSpecified, opened.Authentication);
        Assert.Equal(string.Empty, opened.UserID);
        Assert.DoesNotContain("Authentication", connection.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(("tcp:sql-abc123.database.windows.net,1433", "pipeline", true), (opened.DataSource, opened.InitialCatalog, opened.Encrypt == SqlConnectionEncryptOption.Mandatory));
    }

    [Fact]
    public void The_store_built_from_the_bicep_connection_string_uses_the_token()
    {
        var store = new SqlServerStore(AzureSettings.FilledAppSettings()["Pipeline__Store__ConnectionString"], ReferenceData.Embedded, new StoreSettings(), TimeProvider.System);

        Assert.True(store.SignIn.UsesToken);
        Assert.Equal($"SQL Server tcp:sql-abc123.database.windows.net,1433/pipeline (Entra ID token: managed identity {AzureSettings.IdentityClientId})", store.Describe());
    }

    [Fact]
    public void Every_migrate_connection_string_in_the_docs_and_scripts_signs_in_with_the_developers_token()
    {
        var found = new List<string>();
        foreach (var file in new[] { RepositoryPaths.Combine("docs", "deploy.md") }.Concat(Directory.GetFiles(RepositoryPaths.Combine("infra", "scripts"))))
        {
            foreach (Match m in ConnectionStringAssignment().Matches(File.ReadAllText(file)))
            {
                found.Add($"{Path.GetFileName(file)}: {m.Groups[1].Value}");
                var connectionString = Placeholder().Replace(m.Groups[1].Value, "sql-abc123.database.windows.net");
                var plan = SqlServerConnections.Plan(connectionString);
                using var connection = SqlServerConnections.Create(connectionString);

                Assert.Equal(SqlSignIn.DefaultCredential, plan.SignIn);
                Assert.NotNull(connection.AccessTokenCallback);
                Assert.DoesNotContain("Authentication", connection.ConnectionString, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.True(found.Count >= 2, "expected the migrate command in docs/deploy.md and the deployment hook; found: " + string.Join("; ", found));
    }

    // Pipeline__Store__ConnectionString="..." in shell; the value may hold <PLACEHOLDER> or $VARIABLE parts.
    [GeneratedRegex("Pipeline__Store__ConnectionString=\"([^\"]+)\"")]
    private static partial Regex ConnectionStringAssignment();

    [GeneratedRegex(@"<[A-Z_]+>|\$\{?[A-Za-z_]+\}?")]
    private static partial Regex Placeholder();
}
