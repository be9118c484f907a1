using Pipeline.Core.Alerts;

namespace Pipeline.App.Configuration;

/// <summary>
/// The <c>Pipeline</c> section of configuration (appsettings.json, then environment variables such as
/// <c>Pipeline__Store__Provider</c>). Bound once at start and checked by <see cref="Validate"/>.
/// </summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Root of the originals, receipts, lake, quarantine and (by default) the SQLite file.</summary>
    public string DataDirectory { get; set; } = "./pipeline-data";

    /// <summary>A folder with reference CSVs overriding the embedded copy (same file names); empty for the embedded copy.</summary>
    public string? ReferenceDirectory { get; set; }

    public StoreOptions Store { get; set; } = new();

    public SubmissionOptions Submissions { get; set; } = new();

    public DropOptions Drop { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();

    public ReportOptions Reports { get; set; } = new();

    /// <summary>Every problem with the options, as sentences naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("Pipeline:DataDirectory is empty: set it to the folder that holds submissions, reports and the lake.");
        }

        if (Store.Provider is not (StoreOptions.Sqlite or StoreOptions.SqlServer))
        {
            problems.Add($"Pipeline:Store:Provider is '{Store.Provider}': use '{StoreOptions.Sqlite}' or '{StoreOptions.SqlServer}'.");
        }

        if (Store.Provider == StoreOptions.SqlServer && string.IsNullOrWhiteSpace(Store.ConnectionString))
        {
            problems.Add("Pipeline:Store:ConnectionString is required when Pipeline:Store:Provider is 'sqlserver' (env Pipeline__Store__ConnectionString).");
        }

        if (Submissions.DeadlineDay is < 1 or > 28)
        {
            problems.Add($"Pipeline:Submissions:DeadlineDay is {Submissions.DeadlineDay}: use a day of the month from 1 to 28.");
        }

        if (!Uri.TryCreate(Submissions.ContractUrl, UriKind.Absolute, out var contract) || contract.Scheme is not ("https" or "http"))
        {
            problems.Add($"Pipeline:Submissions:ContractUrl is '{Submissions.ContractUrl}': " +
                "use the http(s) address of the published docs/errors.md that receipts link to.");
        }

        if (Submissions.MaxAttempts is < 1 or > 100)
        {
            problems.Add($"Pipeline:Submissions:MaxAttempts is {Submissions.MaxAttempts}: use 1 to 100 (attempts before a file is quarantined).");
        }

        if (Submissions.MaxFileBytes < 1024)
        {
            problems.Add($"Pipeline:Submissions:MaxFileBytes is {Submissions.MaxFileBytes}: use at least 1024.");
        }

        if (Submissions.MaxMeasureRows < 1)
        {
            problems.Add($"Pipeline:Submissions:MaxMeasureRows is {Submissions.MaxMeasureRows}: use at least 1.");
        }

        if (Drop.PollSeconds is < 0.1 or > 3600)
        {
            problems.Add($"Pipeline:Drop:PollSeconds is {Drop.PollSeconds}: use 0.1 to 3600.");
        }

        if (Drop.MinimumAgeSeconds is < 0 or > 3600)
        {
            problems.Add($"Pipeline:Drop:MinimumAgeSeconds is {Drop.MinimumAgeSeconds}: use 0 to 3600.");
        }

        if (string.IsNullOrWhiteSpace(Alerts.ContactsFile))
        {
            problems.Add("Pipeline:Alerts:ContactsFile is empty: name the contacts CSV (scope,code,name,email), e.g. contacts.csv in the data directory.");
        }

        if (!AlertNames.TryParseSeverity(Alerts.EmailFromSeverity, out _))
        {
            problems.Add($"Pipeline:Alerts:EmailFromSeverity is '{Alerts.EmailFromSeverity}': use 'alert' (email alerts only; watches are kept for the report) or 'watch' (email watches too).");
        }

        if (!string.IsNullOrWhiteSpace(Reports.BaseUrl) && !Pipeline.Core.Reporting.ReportAddress.IsValidBaseUrl(Reports.BaseUrl.Trim()))
        {
            problems.Add($"Pipeline:Reports:BaseUrl is '{Reports.BaseUrl}': use the absolute https (or file) URL the reports area is "
                + "served at, without a query, for example https://stdata.blob.core.windows.net/reports/ (docs/alerts.md §5).");
        }

        if (Store.BusyTimeoutSeconds is < 1 or > 600)
        {
            problems.Add($"Pipeline:Store:BusyTimeoutSeconds is {Store.BusyTimeoutSeconds}: use 1 to 600.");
        }

        if (Drop.Workers is < 1 or > 64)
        {
            problems.Add($"Pipeline:Drop:Workers is {Drop.Workers}: use 1 to 64.");
        }

        if (!string.IsNullOrWhiteSpace(ReferenceDirectory) && !Directory.Exists(ReferenceDirectory))
        {
            problems.Add($"Pipeline:ReferenceDirectory '{ReferenceDirectory}' does not exist.");
        }

        return problems;
    }
}

public sealed class StoreOptions
{
    public const string Sqlite = "sqlite";
    public const string SqlServer = "sqlserver";

    public string Provider { get; set; } = Sqlite;

    /// <summary>SQL Server only. Without user and password the connection uses an Entra ID token (managed identity).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite only: how long a write waits for another writer's lock (another process, an analyst's open transaction) before the attempt fails and is retried.</summary>
    public int BusyTimeoutSeconds { get; set; } = 30;
}

public sealed class SubmissionOptions
{
    /// <summary>Day of the month after the reporting month by whose end (UTC) a submission is on time.</summary>
    public int DeadlineDay { get; set; } = 15;

    /// <summary>
    /// The NHS England region(s) this deployment serves (for example Y62): <c>v_submission_status</c> and <c>pipeline status</c>
    /// expect their trusts only. Empty (the default): the regions of the trusts that have sent a file.
    /// </summary>
    public List<string> Regions { get; set; } = [];

    /// <summary>
    /// The deployment's first reporting month (yyyy-MM): <c>v_submission_status</c> and <c>pipeline status</c> list no earlier
    /// month. Empty (the default): the earliest month any trust has an accepted file for.
    /// </summary>
    public string? FirstPeriod { get; set; }

    /// <summary>
    /// The published submission contract receipts link to (every error and warning code has its section, <c>#e012</c>): the
    /// deployment's copy of docs/errors.md. Default: the project's published page.
    /// </summary>
    public string ContractUrl { get; set; } = Pipeline.Core.Text.Receipts.ReceiptHtml.DefaultContractUrl;

    /// <summary>Processing attempts that crash before a file is moved to quarantine.</summary>
    public int MaxAttempts { get; set; } = 5;

    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    public int MaxMeasureRows { get; set; } = 100_000;
}

public sealed class DropOptions
{
    /// <summary>How often <c>pipeline watch</c> lists the drop.</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>Files younger than this are left for the next poll, so a copy still in progress is not read half-written.</summary>
    public double MinimumAgeSeconds { get; set; } = 2;

    /// <summary>Files <c>pipeline watch</c> processes at once (files of one organisation-month always one after another).</summary>
    public int Workers { get; set; } = 1;
}

public sealed class AlertOptions
{
    /// <summary>
    /// The contacts CSV (<c>scope,code,name,email</c>, docs/alerts.md §4); relative paths are under the data directory.
    /// Read at every run, so edits apply without a restart. A missing file means nobody is configured (notices are logged as unroutable).
    /// </summary>
    public string ContactsFile { get; set; } = "contacts.csv";

    /// <summary>
    /// The lowest severity of an equity alert that is emailed: <c>alert</c> (default) or <c>watch</c>. Watches are always
    /// recorded and shown by <c>pipeline alerts</c> and the report; data-quality and late-submission notices are always emailed.
    /// </summary>
    public string EmailFromSeverity { get; set; } = "alert";

    /// <summary>The alert lifecycle settings these options give (docs/alerts.md).</summary>
    public AlertPolicy Policy() => AlertPolicy.Default with
    {
        EmailFrom = AlertNames.TryParseSeverity(EmailFromSeverity, out var severity) ? severity : AlertPolicy.Default.EmailFrom,
    };

    /// <summary>The contacts file's full path for a data directory.</summary>
    public string ContactsPath(string dataDirectory) => Path.GetFullPath(Path.Combine(dataDirectory, ContactsFile));
}

public sealed class ReportOptions
{
    /// <summary>
    /// The absolute URL the object store's <c>reports</c> area is served at: alert emails link
    /// <c>{BaseUrl}/{scope}/{code}/{period}/equity-report.html</c>, the report the publisher writes to the key
    /// <c>reports/{scope}/{code}/{period}/equity-report.html</c>. Empty (the default): where the object store writes, as a
    /// URL: <c>file:///{data dir}/reports/</c> for the local folder, the <c>reports</c> container's URL on Blob Storage.
    /// </summary>
    public string? BaseUrl { get; set; }
}
