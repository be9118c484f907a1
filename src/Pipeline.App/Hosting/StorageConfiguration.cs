using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pipeline.Adapters.Storage;

namespace Pipeline.App.Hosting;

/// <summary>
/// Chooses the object store from configuration. Azure Blob Storage when <c>Pipeline:Storage:BlobServiceUri</c> (managed
/// identity, optionally <c>Pipeline:Storage:ManagedIdentityClientId</c>) or <c>Pipeline:Storage:ConnectionString</c>
/// (Azurite) is set; otherwise folders under <c>Pipeline:DataDirectory</c> (default <c>pipeline-data</c>).
/// Invalid settings fail at start with the key to fix.
/// </summary>
public static class StorageConfiguration
{
    public const string DataDirectoryKey = "Pipeline:DataDirectory";
    public const string DefaultDataDirectory = "pipeline-data";
    public const string BlobServiceUriKey = "Pipeline:Storage:BlobServiceUri";
    public const string ConnectionStringKey = "Pipeline:Storage:ConnectionString";
    public const string ManagedIdentityClientIdKey = "Pipeline:Storage:ManagedIdentityClientId";
    public const string ContainerPrefixKey = "Pipeline:Storage:ContainerPrefix";

    /// <summary>The Blob options when Blob Storage is configured; null when the folder store applies.</summary>
    public static BlobStorageOptions? ReadBlobOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var serviceUri = Setting(configuration, BlobServiceUriKey);
        var connectionString = Setting(configuration, ConnectionStringKey);
        if (serviceUri is null && connectionString is null)
        {
            return null;
        }

        if (serviceUri is not null && connectionString is not null)
        {
            throw Invalid($"{BlobServiceUriKey} and {ConnectionStringKey} are both set: set only one (the service URI with a managed identity in Azure, the connection string for Azurite).");
        }

        Uri? uri = null;
        if (serviceUri is not null
            && (!Uri.TryCreate(serviceUri, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            throw Invalid($"{BlobServiceUriKey} is '{serviceUri}': it must be the account's blob endpoint, e.g. https://<account>.blob.core.windows.net.");
        }

        return new BlobStorageOptions
        {
            ServiceUri = uri,
            ConnectionString = connectionString,
            ManagedIdentityClientId = Setting(configuration, ManagedIdentityClientIdKey),
            ContainerPrefix = Setting(configuration, ContainerPrefixKey) ?? string.Empty,
        };
    }

    /// <summary>The configured object store (Blob or folders); throws <see cref="OptionsValidationException"/> for bad settings.</summary>
    public static IObjectStore CreateObjectStore(IConfiguration configuration)
    {
        var blob = ReadBlobOptions(configuration);
        if (blob is null)
        {
            return new FileSystemObjectStore(Setting(configuration, DataDirectoryKey) ?? DefaultDataDirectory);
        }

        try
        {
            return BlobObjectStoreFactory.Create(blob);
        }
        catch (ArgumentException e)
        {
            throw Invalid($"{ContainerPrefixKey} or the Blob settings are not usable: {e.Message}");
        }
    }

    private static string? Setting(IConfiguration configuration, string key) =>
        string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

    private static OptionsValidationException Invalid(string message) =>
        new("Pipeline:Storage", typeof(BlobStorageOptions), [message]);
}
