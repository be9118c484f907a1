namespace Pipeline.Adapters.Storage;

/// <summary>
/// Where files live: the drop, originals, receipts, the lake and quarantine. Keys are '/'-separated relative paths
/// whose first segment is the area (<c>submissions/R0A/2026-10/file.csv</c>, <c>lake/measures/period=2026-10/…</c>);
/// on the file system that is a folder under the data directory, on Azure Blob Storage a container.
/// </summary>
public interface IObjectStore
{
    /// <summary>Where a key lives, for people: a file path or a blob URL.</summary>
    string Describe(string key);

    Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken);

    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Writes atomically: readers see the old object or the whole new one, never a partial file. Replaces any existing object.</summary>
    Task WriteAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Writes only if nothing is stored under the key yet; returns false (and writes nothing) when something is.</summary>
    Task<bool> TryCreateAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in ordinal key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Removes the object if it exists.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

/// <param name="NotRegularFile">Set when the entry is not a plain file (a symbolic link, a device, a pipe): what it is. Such an
/// entry is never opened, so nothing it points at is read.</param>
public sealed record ObjectInfo(string Key, long SizeBytes, DateTimeOffset LastModified, string? NotRegularFile = null);
