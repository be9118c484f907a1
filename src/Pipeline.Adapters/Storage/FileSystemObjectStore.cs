using System.Runtime.CompilerServices;

namespace Pipeline.Adapters.Storage;

/// <summary>The embedded default: objects are files under a root folder (the data directory).</summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    private const string TemporarySuffix = ".partial";
    private readonly string _root;

    public FileSystemObjectStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public string Describe(string key) => PathOf(key);

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists || file.LinkTarget is not null ? InfoOf(key, file) : null);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        // Never follow a link or open a device: a drop is plain files, and a link could lend the pipeline any file it can read.
        if (NotRegularFile(new FileInfo(path)) is { } what)
        {
            throw new NotRegularFileException(path, what);
        }

        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    /// <summary>
    /// What a non-regular entry is (a link, a FIFO or device, or anything inside a linked folder), or null for a plain file
    /// whose every folder below the root is a real folder.
    /// </summary>
    internal string? NotRegularFile(FileInfo file)
    {
        if (FileKind.NotRegular(file.FullName) is { } what)
        {
            return what;
        }

        for (var folder = file.Directory; folder is not null && folder.FullName.Length > _root.Length; folder = folder.Parent)
        {
            if (folder.LinkTarget is not null)
            {
                return "inside a folder that is a symbolic link";
            }
        }

        return null;
    }

    private ObjectInfo InfoOf(string key, FileInfo file) => NotRegularFile(file) is { } what
        ? new ObjectInfo(key, 0, file.LinkTarget is null ? file.LastWriteTimeUtc : DateTime.UnixEpoch, what)
        : new ObjectInfo(key, file.Length, file.LastWriteTimeUtc);

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var temporary = await WriteTemporaryAsync(path, content, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<bool> TryCreateAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return false;
        }

        var temporary = await WriteTemporaryAsync(path, content, cancellationToken).ConfigureAwait(false);
        try
        {
            // File.Move without overwrite fails if another writer got there first: first one wins, as with If-None-Match.
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await Task.Yield();
        // Walk only the folder the prefix names (the drop, one lake partition), not the whole data directory.
        var folder = prefix.LastIndexOf('/') is var slash and > 0 ? Path.GetFullPath(Path.Combine(_root, prefix[..slash])) : _root;
        if (!Directory.Exists(folder) || (folder != _root && !folder.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            yield break;
        }

        var keys = DropFolder.Entries(folder)
            .Where(p => !p.EndsWith(TemporarySuffix, StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(_root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = new FileInfo(Path.Combine(_root, key));
            if (file.Exists || file.LinkTarget is not null)
            {
                yield return InfoOf(key, file);
            }
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, ObjectKeys.Validate(key, allowControlCharacters: true)));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' resolves outside the data directory.", nameof(key));
        }

        return path;
    }

    private static async Task<string> WriteTemporaryAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Beside the target (same volume, so the rename is atomic) but named by a GUID alone: the target's own name may already be
        // near the file system's 255-byte limit, and appending to it would make the write fail.
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await content.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            return temporary;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
