using Microsoft.Extensions.Logging;
using Pipeline.Core.Alerts.Routing;

namespace Pipeline.App.Alerts;

/// <summary>
/// The configured contacts CSV, read at each run so an edit applies without a restart. A missing file is an empty
/// directory (every notice unroutable and logged); a malformed one fails the run with the file, line and fix, which rolls
/// the load back and retries it, so no alert is decided without anyone to tell.
/// </summary>
public sealed partial class ContactsFile(string path, ILogger logger)
{
    public string Path { get; } = path;

    public ContactDirectory Load()
    {
        if (!File.Exists(Path))
        {
            LogMissing(Path);
            return new ContactDirectory([]);
        }

        using var stream = File.OpenRead(Path);
        return ContactDirectory.Parse(stream, Path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No contacts file at {Path}: alert emails have no recipients (create it, header scope,code,name,email)")]
    private partial void LogMissing(string path);
}
