using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Pipeline.Adapters.Storage;

/// <summary>
/// Objects are block blobs in Azure Blob Storage: a key's first segment is the container (<c>submissions</c>,
/// <c>reports</c>, <c>lake</c>, <c>quarantine</c>, <c>outbox</c>), the rest is the blob name. Containers are created on
/// first write, so a fresh account (or Azurite) needs no set-up; in Azure the Bicep creates them with their policies.
/// </summary>
public sealed class BlobObjectStore : IObjectStore
{
    private readonly BlobServiceClient _service;
    private readonly string _containerPrefix;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _ensuredContainers = new(StringComparer.Ordinal);

    /// <param name="service">The account.</param>
    /// <param name="containerPrefix">
    /// Prepended to every container name (<c>"ci42-"</c> gives <c>ci42-submissions</c>), so several pipelines or test runs
    /// can share one account without seeing each other's objects. Empty in production.
    /// </param>
    public BlobObjectStore(BlobServiceClient service, string containerPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(containerPrefix);
        if (!BlobContainerNames.IsValidPrefix(containerPrefix))
        {
            throw new ArgumentException(
                $"'{containerPrefix}' is not a usable container-name prefix: container names are 3-63 lower-case letters, digits and single hyphens, starting with a letter or digit.",
                nameof(containerPrefix));
        }

        _service = service;
        _containerPrefix = containerPrefix;
    }

    public string Describe(string key) => BlobOf(key).Uri.ToString();

    /// <summary>The URL of an area's container, with a closing slash (<c>https://account.blob.core.windows.net/reports/</c>).</summary>
    public Uri AreaUri(string area) => new(_service.GetBlobContainerClient(ContainerName(area)).Uri.AbsoluteUri.TrimEnd('/') + "/");

    public async Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        var blob = BlobOf(key);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return new ObjectInfo(key, properties.ContentLength, properties.LastModified);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var blob = BlobOf(key);
        try
        {
            // allowModifications: false pins the read to the ETag seen when opening, so a reader never mixes two versions.
            return await blob.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"No object is stored at {blob.Uri}.", key, e);
        }
    }

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var blob = BlobOf(key);
        await EnsureContainerAsync(blob.BlobContainerName, cancellationToken).ConfigureAwait(false);

        // A block blob upload is atomic: a single Put Blob, or staged blocks made visible by one final Put Block List.
        // Readers see the previous blob or the whole new one.
        await blob.UploadAsync(content, new BlobUploadOptions(), cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryCreateAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var blob = BlobOf(key);
        await EnsureContainerAsync(blob.BlobContainerName, cancellationToken).ConfigureAwait(false);
        var onlyIfAbsent = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            await blob.UploadAsync(content, onlyIfAbsent, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // 409 BlobAlreadyExists (single-shot upload) or 412 ConditionNotMet (block list commit): someone was first.
            return false;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var slash = prefix.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            // The prefix stops inside an area name ("" or "sub"): every matching container, in name order.
            await foreach (var container in _service.GetBlobContainersAsync(prefix: _containerPrefix + prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var area = container.Name[_containerPrefix.Length..];
                await foreach (var info in ListContainerAsync(area, string.Empty, cancellationToken).ConfigureAwait(false))
                {
                    yield return info;
                }
            }

            yield break;
        }

        await foreach (var info in ListContainerAsync(prefix[..slash], prefix[(slash + 1)..], cancellationToken).ConfigureAwait(false))
        {
            yield return info;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        // With versioning on (as in Azure), the deleted blob stays retrievable as a previous version.
        await BlobOf(key).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<ObjectInfo> ListContainerAsync(string area, string blobPrefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var container = _service.GetBlobContainerClient(ContainerName(area));
        if (!await container.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        // The service lists blob names in UTF-8 byte order, which is ordinal order for every key ObjectKeys accepts
        // outside the supplementary planes.
        var blobs = container.GetBlobsAsync(new GetBlobsOptions { Prefix = blobPrefix.Length == 0 ? null : blobPrefix }, cancellationToken);
        await foreach (var item in blobs.ConfigureAwait(false))
        {
            yield return new ObjectInfo($"{area}/{item.Name}", item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    /// <summary>The blob behind <paramref name="key"/> (its container made sure of), for callers that need blob conditions (ETags).</summary>
    public async Task<BlobClient> GetBlobAsync(string key, CancellationToken cancellationToken)
    {
        var blob = BlobOf(key);
        await EnsureContainerAsync(blob.BlobContainerName, cancellationToken).ConfigureAwait(false);
        return blob;
    }

    private BlobClient BlobOf(string key)
    {
        ObjectKeys.Validate(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new ArgumentException($"'{key}' names no blob: a key is '<container>/<blob name>'.", nameof(key));
        }

        return _service.GetBlobContainerClient(ContainerName(key[..slash])).GetBlobClient(key[(slash + 1)..]);
    }

    private string ContainerName(string area)
    {
        var name = _containerPrefix + area;
        if (!BlobContainerNames.IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid blob container name (3-63 lower-case letters, digits and single hyphens, starting with a letter or digit).",
                nameof(area));
        }

        return name;
    }

    private Task EnsureContainerAsync(string name, CancellationToken cancellationToken)
    {
        // Once per container per process; a failed attempt is forgotten so the next write tries again.
        var ensure = _ensuredContainers.GetOrAdd(name, n => new Lazy<Task>(() => CreateContainerAsync(n, cancellationToken)));
        return AwaitOrForgetAsync(name, ensure);
    }

    private async Task AwaitOrForgetAsync(string name, Lazy<Task> ensure)
    {
        try
        {
            await ensure.Value.ConfigureAwait(false);
        }
        catch
        {
            _ensuredContainers.TryRemove(new KeyValuePair<string, Lazy<Task>>(name, ensure));
            throw;
        }
    }

    private Task CreateContainerAsync(string name, CancellationToken cancellationToken) =>
        _service.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
}
