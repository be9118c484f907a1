using Azure.Core;
using Azure.Identity;
using Microsoft.Data.SqlClient;

namespace Pipeline.Adapters.Store;

/// <summary>
/// Opens SQL Server / Azure SQL connections. A connection string with no user, password or authentication mode gets an
/// Entra ID token from <see cref="DefaultAzureCredential"/> (managed identity in Azure, developer login locally) through
/// <see cref="SqlConnection.AccessTokenCallback"/>: SqlClient 7 moved its own Entra modes into a package not served here.
/// </summary>
internal static class SqlServerConnections
{
    private const string Scope = "https://database.windows.net/.default";
    private static readonly Lazy<TokenCredential> Credential = new(() => new DefaultAzureCredential());

    public static bool UsesToken(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        return string.IsNullOrEmpty(builder.UserID) && string.IsNullOrEmpty(builder.Password) && !builder.IntegratedSecurity &&
               builder.Authentication == SqlAuthenticationMethod.NotSpecified;
    }

    public static SqlConnection Create(string connectionString)
    {
        var connection = new SqlConnection(connectionString);
        if (UsesToken(connectionString))
        {
            connection.AccessTokenCallback = async (_, cancellationToken) =>
            {
                var token = await Credential.Value.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
                return new SqlAuthenticationToken(token.Token, token.ExpiresOn);
            };
        }

        return connection;
    }

    /// <summary>Server and database only: safe to print.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        return $"SQL Server {builder.DataSource}/{builder.InitialCatalog}{(UsesToken(connectionString) ? " (Entra ID token)" : string.Empty)}";
    }
}
