using System.Collections.Concurrent;
using Azure.Core;
using Azure.Identity;
using Microsoft.Data.SqlClient;

namespace Pipeline.Adapters.Store;

/// <summary>How a SQL Server connection signs in.</summary>
public enum SqlSignIn
{
    /// <summary>User and password (SQL authentication) or integrated security: the connection string as given.</summary>
    ConnectionString,

    /// <summary>An Entra ID token from a managed identity (user-assigned when a client id is given, else system-assigned).</summary>
    ManagedIdentity,

    /// <summary>An Entra ID token from the default Azure credential chain (environment, managed identity, Azure CLI, ...).</summary>
    DefaultCredential,
}

/// <summary>
/// A connection string resolved for SqlClient 7: <see cref="ConnectionString"/> is what SqlClient is given (no
/// <c>Authentication</c> keyword, and no <c>User Id</c> when a token is used); <see cref="SignIn"/> and
/// <see cref="ClientId"/> say where the token comes from.
/// </summary>
public sealed record SqlConnectionPlan(string ConnectionString, SqlSignIn SignIn, string? ClientId)
{
    public bool UsesToken => SignIn != SqlSignIn.ConnectionString;
}

/// <summary>
/// Opens SQL Server / Azure SQL connections. SqlClient 7 no longer handles <c>Authentication=Active Directory …</c> by itself,
/// so the Entra modes our deployments write (Managed Identity/MSI with a client id, Default, or no credentials) become an
/// <see cref="SqlConnection.AccessTokenCallback"/> from Azure.Identity; other modes are refused with the fix (docs/deploy.md).
/// </summary>
public static class SqlServerConnections
{
    private const string Scope = "https://database.windows.net/.default";
    private static readonly ConcurrentDictionary<(SqlSignIn, string?), TokenCredential> Credentials = new();

    /// <summary>Resolves <paramref name="connectionString"/>; throws <see cref="ArgumentException"/> for a sign-in mode this build cannot perform.</summary>
    public static SqlConnectionPlan Plan(string connectionString)
    {
        var builder = new SqlConnectionStringBuilder(connectionString);
        var userId = string.IsNullOrWhiteSpace(builder.UserID) ? null : builder.UserID.Trim();
        SqlSignIn signIn;
        switch (builder.Authentication)
        {
            case SqlAuthenticationMethod.NotSpecified when userId is null && string.IsNullOrEmpty(builder.Password) && !builder.IntegratedSecurity:
                signIn = SqlSignIn.DefaultCredential;
                break;
            case SqlAuthenticationMethod.NotSpecified or SqlAuthenticationMethod.SqlPassword:
                return new SqlConnectionPlan(connectionString, SqlSignIn.ConnectionString, null);
#pragma warning disable CS0618 // ActiveDirectoryMSI is the older spelling of Managed Identity; deployments still write it.
            case SqlAuthenticationMethod.ActiveDirectoryManagedIdentity or SqlAuthenticationMethod.ActiveDirectoryMSI:
#pragma warning restore CS0618
                signIn = SqlSignIn.ManagedIdentity;
                break;
            case SqlAuthenticationMethod.ActiveDirectoryDefault:
                signIn = SqlSignIn.DefaultCredential;
                break;
            default:
                throw new ArgumentException(
                    $"The SQL connection string asks for Authentication={builder.Authentication}, which this build cannot sign in with "
                    + "(SqlClient 7 keeps it in a package the pipeline does not use). Use 'Authentication=Active Directory Managed Identity;User Id=<identity client id>' "
                    + "in Azure, 'Authentication=Active Directory Default' (or no credentials) from a workstation signed in with az login, or SQL authentication (User ID and Password).",
                    nameof(connectionString));
        }

        if (!string.IsNullOrEmpty(builder.Password))
        {
            throw new ArgumentException(
                $"The SQL connection string has a Password with Authentication={builder.Authentication}: an Entra token sign-in takes no password; remove it.",
                nameof(connectionString));
        }

        builder.Remove("Authentication");
        builder.Remove("User ID");
        return new SqlConnectionPlan(builder.ConnectionString, signIn, userId);
    }

    /// <summary>Whether the connection signs in with an Entra ID token.</summary>
    public static bool UsesToken(string connectionString) => Plan(connectionString).UsesToken;

    public static SqlConnection Create(string connectionString)
    {
        var plan = Plan(connectionString);
        var connection = new SqlConnection(plan.ConnectionString);
        if (plan.UsesToken)
        {
            var credential = Credentials.GetOrAdd((plan.SignIn, plan.ClientId), key => CreateCredential(key.Item1, key.Item2));
            connection.AccessTokenCallback = async (_, cancellationToken) =>
            {
                var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken).ConfigureAwait(false);
                return new SqlAuthenticationToken(token.Token, token.ExpiresOn);
            };
        }

        return connection;
    }

    /// <summary>Server and database only: safe to print.</summary>
    public static string Describe(string connectionString)
    {
        var plan = Plan(connectionString);
        var builder = new SqlConnectionStringBuilder(plan.ConnectionString);
        var signIn = plan.SignIn switch
        {
            SqlSignIn.ManagedIdentity => plan.ClientId is null ? " (Entra ID token: system-assigned managed identity)" : $" (Entra ID token: managed identity {plan.ClientId})",
            SqlSignIn.DefaultCredential => " (Entra ID token)",
            _ => string.Empty,
        };
        return $"SQL Server {builder.DataSource}/{builder.InitialCatalog}{signIn}";
    }

    private static TokenCredential CreateCredential(SqlSignIn signIn, string? clientId) => signIn switch
    {
        SqlSignIn.ManagedIdentity => new ManagedIdentityCredential(
            clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId)),
        _ => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId }),
    };
}
