namespace Pipeline.Adapters.Storage;

/// <summary>
/// A lock between processes on one machine: an exclusively opened file (FileShare.None, which .NET maps to flock on Unix).
/// The lock file is left in place: deleting it while another process waits would let two processes hold "the" lock.
/// </summary>
public static class FileLock
{
    public static async Task<IDisposable> AcquireAsync(string path, TimeSpan limit, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (waited.Elapsed < limit)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25 + Random.Shared.Next(50)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The synchronous form, for start-up work that is synchronous itself (schema migrations).</summary>
    public static IDisposable Acquire(string path, TimeSpan limit) =>
        AcquireAsync(path, limit, CancellationToken.None).GetAwaiter().GetResult();
}
