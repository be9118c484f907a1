namespace Pipeline.Adapters.Storage;

/// <summary>
/// How to reach the Blob account: a connection string (Azurite, development) or the blob service URI with Microsoft Entra
/// credentials (a managed identity in Azure), never both.
/// </summary>
public sealed record BlobStorageOptions
{
    /// <summary>A storage connection string, e.g. <c>UseDevelopmentStorage=true</c> or Azurite's explicit endpoints.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The account's blob endpoint, e.g. <c>https://stpipeline.blob.core.windows.net</c>.</summary>
    public Uri? ServiceUri { get; init; }

    /// <summary>The client id of a user-assigned managed identity; empty for a system-assigned identity or a developer's login.</summary>
    public string? ManagedIdentityClientId { get; init; }

    /// <summary>Prepended to every container name; see <see cref="BlobObjectStore"/>.</summary>
    public string ContainerPrefix { get; init; } = string.Empty;

    // A record prints every property; the connection string holds the account key, so it is never printed (logs, errors).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ConnectionString = ").Append(ConnectionString is null ? "null" : "(set, not shown)")
            .Append(", ServiceUri = ").Append(ServiceUri)
            .Append(", ManagedIdentityClientId = ").Append(ManagedIdentityClientId)
            .Append(", ContainerPrefix = ").Append(ContainerPrefix);
        return true;
    }
}
