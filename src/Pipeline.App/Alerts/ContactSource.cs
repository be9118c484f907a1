using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Store;
using Pipeline.Core.Alerts.Routing;

namespace Pipeline.App.Alerts;

/// <summary>
/// Who alert emails go to, read at each run inside its transaction: the store's <c>contact</c> table, or while that is empty
/// the embedded default's contacts CSV (docs/alerts.md §4). A malformed file fails the run with the file, line and fix, which
/// rolls the load back to be retried, so no alert is decided without anyone to tell.
/// </summary>
public sealed partial class ContactSource(string filePath, ILogger logger)
{
    public string FilePath { get; } = filePath;

    public async Task<ContactDirectory> LoadAsync(StoreSession store, CancellationToken cancellationToken)
    {
        var stored = await store.ListContactsAsync(cancellationToken).ConfigureAwait(false);
        if (stored.Count > 0)
        {
            if (File.Exists(FilePath))
            {
                LogFileIgnored(FilePath, stored.Count);
            }

            return new ContactDirectory(stored);
        }

        if (!File.Exists(FilePath))
        {
            LogNone(FilePath);
            return new ContactDirectory([]);
        }

        using var stream = File.OpenRead(FilePath);
        return ContactDirectory.Parse(stream, FilePath);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No alert contacts: alert emails have no recipients (add them with `pipeline contacts import FILE` or `pipeline contacts add`; the embedded default also reads {Path})")]
    private partial void LogNone(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert contacts come from the store ({Count}); {Path} is not read while the store has contacts (`pipeline contacts import` copies a file in)")]
    private partial void LogFileIgnored(string path, int count);
}
