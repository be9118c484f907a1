using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Pipeline.Adapters.Storage;

/// <summary>Builds a <see cref="BlobObjectStore"/> from <see cref="BlobStorageOptions"/>.</summary>
public static class BlobObjectStoreFactory
{
    public static BlobObjectStore Create(BlobStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasConnectionString == (options.ServiceUri is not null))
        {
            throw new ArgumentException("Give the Blob account either a connection string or a service URI, not both and not neither.", nameof(options));
        }

        var clientOptions = new BlobClientOptions();
        // Transient faults (throttling, timeouts, 5xx) are retried with exponential back-off, as the SDK's default but bounded.
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = 5;
        var service = hasConnectionString
            ? new BlobServiceClient(options.ConnectionString, clientOptions)
            : new BlobServiceClient(options.ServiceUri, Credential(options.ManagedIdentityClientId), clientOptions);
        return new BlobObjectStore(service, options.ContainerPrefix);
    }

    private static DefaultAzureCredential Credential(string? managedIdentityClientId) =>
        new(new DefaultAzureCredentialOptions
        {
            // In Azure, the function app's user-assigned identity; on a developer's machine, their Azure CLI/IDE login.
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? null : managedIdentityClientId,
        });
}
