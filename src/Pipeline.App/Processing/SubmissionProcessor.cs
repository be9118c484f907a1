using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Adapters.Lake;
using Pipeline.Adapters.Storage;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Notifications;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions;
using Pipeline.Core.Validation;
using Pipeline.Core.Text.Receipts;

namespace Pipeline.App.Processing;

/// <summary>
/// The one code path from a delivered file to the lake and the SQL store, shared by every host. Each step is idempotent and
/// keyed by the submission id, so a redelivery changes nothing and a re-run after a crash at any step converges:
/// receive (row, attempt counted) → validate → receipt → rejected: stop | lake → SQL (one transaction, after-load steps
/// inside it) → lake tidy (the partition keeps only what SQL says is current).
/// </summary>
public sealed partial class SubmissionProcessor
{
    public const string SubmissionsArea = DropPath.SubmissionsRoot;
    public const string ReportsArea = "reports";
    public const string QuarantineArea = Quarantine.Area;

    private readonly IObjectStore _objects;
    private readonly IPipelineStore _store;
    private readonly MeasureLake _lake;
    private readonly SubmissionValidator _validator;
    private readonly ReferenceData _reference;
    private readonly SubmissionOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IAfterLoad> _afterLoad;
    private readonly IReadOnlyList<IAfterReject> _afterReject;
    private readonly FaultHook? _faultHook;
    private readonly ILogger _logger;
    private readonly Func<string, CancellationToken, Task<IDisposable>>? _exclusive;
    private readonly Quarantine _quarantine;
    private readonly LakeTidier _tidier;
    private readonly LocalFileCopy _localFiles;

    public SubmissionProcessor(
        IObjectStore objects,
        IPipelineStore store,
        MeasureLake lake,
        SubmissionValidator validator,
        ReferenceData reference,
        SubmissionOptions options,
        TimeProvider time,
        IEnumerable<IAfterLoad>? afterLoad = null,
        FaultHook? faultHook = null,
        ILogger<SubmissionProcessor>? logger = null,
        IEnumerable<IAfterReject>? afterReject = null,
        Func<string, CancellationToken, Task<IDisposable>>? exclusive = null)
    {
        _exclusive = exclusive;
        _objects = objects;
        _store = store;
        _lake = lake;
        _validator = validator;
        _reference = reference;
        _options = options;
        _time = time;
        _afterLoad = [.. afterLoad ?? []];
        _afterReject = [.. afterReject ?? []];
        _faultHook = faultHook;
        _logger = logger ?? NullLogger<SubmissionProcessor>.Instance;
        _quarantine = new Quarantine(objects, store, _logger);
        _tidier = new LakeTidier(objects, store, lake);
        _localFiles = new LocalFileCopy(objects, validator, reference);
    }

    /// <summary>
    /// Processes an original already in the object store under <c>submissions/{org}/{period}/{file}</c>. The result names
    /// this key even when the same bytes were first delivered under another name.
    /// </summary>
    public async Task<ProcessingResult> ProcessAsync(string key, CancellationToken cancellationToken) =>
        (await ProcessKeyAsync(key, cancellationToken).ConfigureAwait(false)) with { SourceKey = key };

    private async Task<ProcessingResult> ProcessKeyAsync(string key, CancellationToken cancellationToken)
    {
        var file = await ReceiveAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(file, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            file.Turn?.Dispose();
        }
    }

    // Read and hashed, and this process's exclusive turn on the submission taken (the caller disposes it).
    private async Task<ReceivedFile> ReceiveAsync(string key, CancellationToken cancellationToken)
    {
        var info = await _objects.GetInfoAsync(key, cancellationToken).ConfigureAwait(false)
            ?? throw new FileNotFoundException($"{SubmitterText.ShowControls(_objects.Describe(key))} does not exist.", key);
        var place = DropPlacement.Of(key, _reference);
        var drop = place.Drop;
        string sha256;
        long length;
        if (info.NotRegularFile is not null)
        {
            // Never opened: the identity is the entry's name, so the verdict is recorded once and nothing it points at is read.
            (sha256, length) = (SubmissionIdentity.Sha256Hex("not a regular file: " + key), 0);
        }
        else
        {
            var content = await _objects.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                (sha256, length) = await SubmissionIdentity.HashAsync(content, cancellationToken).ConfigureAwait(false);
            }
        }

        var id = SubmissionIdentity.For(sha256, drop.OrganisationCode, drop.ReportingPeriod);
        // Another process working on the same submission is not a died attempt: wait for it, then find the row settled.
        var turn = _exclusive is null ? null : await _exclusive(id, cancellationToken).ConfigureAwait(false);
        return new ReceivedFile(key, info, place, sha256, length, id, turn);
    }

    private async Task<ProcessingResult> RunAsync(ReceivedFile file, CancellationToken cancellationToken)
    {
        var (settled, row) = await BeginAsync(file, cancellationToken).ConfigureAwait(false);
        if (settled is not null)
        {
            return settled;
        }

        var prepared = await TryPrepareAsync(row!, file.Key, file.Place.Drop, cancellationToken).ConfigureAwait(false);
        if (prepared.Pending is not { } pending)
        {
            return await SettleAsync(row!, file.Key, prepared, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var load = await _store.LoadAcceptedAsync(pending.Load, _afterLoad, cancellationToken).ConfigureAwait(false);
            return await CompleteAsync(pending, load, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await FailedAsync(row!, file.Key, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    // The attempt counted (a SQL write): a settled result when the file goes no further (processed before, not a regular
    // file, misplaced, failed too often), else its row.
    // begun: the row as a batch's BeginAttemptsAsync left it (else the attempt is counted here).
    private async Task<(ProcessingResult? Settled, SubmissionRecord? Row)> BeginAsync(
        ReceivedFile file, CancellationToken cancellationToken, SubmissionRecord? begun = null)
    {
        var (key, info, place, _, _, _, _) = file;
        var drop = place.Drop;
        var row = begun ?? await _store.BeginAttemptAsync(NewSubmissionOf(file), cancellationToken).ConfigureAwait(false);

        if (row.IsSettled)
        {
            return (await AlreadyProcessedAsync(row, cancellationToken).ConfigureAwait(false), null);
        }

        if (info.NotRegularFile is { } what)
        {
            return (await RefuseUnreadableAsync(row, key,
                $"{SubmitterText.Echo(drop.FileName)} is {what}, not a regular file, so it was not read: copy the file itself into the drop folder.",
                cancellationToken).ConfigureAwait(false), null);
        }

        if (place.Problem is not null)
        {
            return (await QuarantineAsync(row, key, place.Problem, cancellationToken).ConfigureAwait(false), null);
        }

        if (row.Attempts > _options.MaxAttempts)
        {
            // The earlier attempts died without recording an outcome (the process was killed), so quarantine now.
            var died = FailedTooOften(row.Attempts - 1, row.FailureReason ?? "the process stopped before it recorded one");
            return (await QuarantineAsync(row, key, died, cancellationToken).ConfigureAwait(false), null);
        }

        return (null, row);
    }

    private NewSubmission NewSubmissionOf(ReceivedFile file)
    {
        var drop = file.Place.Drop;
        return new NewSubmission(
            file.Id, drop.OrganisationCode, drop.ReportingPeriod, SubmitterText.Echo(drop.FileName), file.Key, file.Sha256, file.Length,
            _time.GetUtcNow());
    }

    // Everything between the attempt and the load that writes nothing to SQL (so a batch prepares it while another batch's
    // transaction runs, #18): its failure is captured for SettleAsync, which records it.
    private async Task<Prepared> TryPrepareAsync(SubmissionRecord row, string key, DropPath drop, CancellationToken cancellationToken)
    {
        try
        {
            await FaultAsync(ProcessingStep.Received, cancellationToken).ConfigureAwait(false);
            return await PrepareAsync(row, key, drop, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new Prepared(null, null, null, ex);
        }
    }

    // The SQL writes of a file that is not loaded: its rejection, or the failure of its preparation.
    private async Task<ProcessingResult> SettleAsync(
        SubmissionRecord row, string key, Prepared prepared, CancellationToken cancellationToken)
    {
        if (prepared.Failure is { } failure)
        {
            return await FailedAsync(row, key, failure, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await _store.RecordRejectedAsync(row.Id, prepared.Rejection!, _afterReject, cancellationToken).ConfigureAwait(false);
            return prepared.Result!;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await FailedAsync(row, key, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    // A failed attempt: reported as loaded when the load had committed, quarantined at the attempt limit, else recorded for a retry.
    private async Task<ProcessingResult> FailedAsync(SubmissionRecord row, string key, Exception ex, CancellationToken cancellationToken)
    {
        var reason = $"{ex.GetType().Name}: {ex.Message}";
        _logger.LogError(
            ex, "Processing {Key} (attempt {Attempt} of {Max}) failed", SubmitterText.ShowControls(key), row.Attempts, _options.MaxAttempts);
        // A failure after the load committed leaves a settled submission: report it as loaded, never quarantine it.
        if (await _store.GetSubmissionAsync(row.Id, cancellationToken).ConfigureAwait(false) is { IsSettled: true } settled)
        {
            return Result(
                settled, OutcomeOf(settled), message: $"loaded, but a later step failed ({reason}); the lake partition is tidied by the next run.");
        }

        if (row.Attempts >= _options.MaxAttempts)
        {
            return await QuarantineAsync(row, key, FailedTooOften(row.Attempts, reason), cancellationToken).ConfigureAwait(false);
        }

        await _store.RecordFailureAsync(row.Id, reason, null, cancellationToken).ConfigureAwait(false);
        return Result(
            row, ProcessingOutcome.Failed, message: $"attempt {row.Attempts} of {_options.MaxAttempts} failed ({reason}); it will be retried.");
    }

    /// <summary>
    /// Processes a file outside the object store: it is copied in, untouched, to <c>submissions/{org}/{period}/{file}</c> first.
    /// The trust and month come from the file's two parent folders when they are a trust code and a month, else from its content.
    /// </summary>
    public async Task<ProcessingResult> ProcessFileAsync(string path, CancellationToken cancellationToken) =>
        await ProcessAsync(await _localFiles.CopyInAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <c>reports/{org}/{period}/{org}-{period}-{received}.{ext}</c>, the time the file was first received (UTC, to the
    /// millisecond): a trust analyst finds their receipt by trust, month and when they sent it. A redelivery of the same file
    /// keeps its first received time, so it names the same receipt.
    /// </summary>
    public static string ReceiptKey(string organisationCode, string reportingPeriod, DateTimeOffset receivedAt, string extension) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{ReportsArea}/{organisationCode}/{reportingPeriod}/" +
            $"{organisationCode}-{reportingPeriod}-{receivedAt.ToUniversalTime():yyyyMMdd'T'HHmmss'.'fff'Z'}.{extension}");

    // Validate, receipt, and (accepted) the lake: everything before the SQL load. No SQL write: a rejected file's verdict is
    // returned for SettleAsync to record.
    private async Task<Prepared> PrepareAsync(
        SubmissionRecord row, string key, DropPath drop, CancellationToken cancellationToken)
    {
        ValidationResult validation;
        var content = await _objects.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            validation = await _validator.ValidateAsync(content, new SubmissionInput(row.FileName, row.SizeBytes, drop), cancellationToken).ConfigureAwait(false);
        }

        await FaultAsync(ProcessingStep.Validated, cancellationToken).ConfigureAwait(false);
        var report = validation.Report;
        var jsonKey = ReceiptKey(row.OrganisationCode, row.ReportingPeriod, row.ReceivedAt, "json");
        var htmlKey = ReceiptKey(row.OrganisationCode, row.ReportingPeriod, row.ReceivedAt, "html");
        var deadline = Period.TryParse(row.ReportingPeriod, out var month) ? SubmissionCalendar.DeadlineFor(month, _options.DeadlineDay)
            : row.ReceivedAt;
        var facts = new ReceiptFacts(row.ReceivedAt, deadline);
        SubmissionRecord? current = null;
        if (validation.Submission is { } valid)
        {
            // What the receipt says it replaced is what is current now; the load below decides the same way (later received wins).
            current = await _store.FindCurrentAsync(row.OrganisationCode, valid.ReportingPeriod, cancellationToken).ConfigureAwait(false);
            var other = current is null || current.Id == row.Id ? null : new EarlierFile(current.FileName, current.ReceivedAt);
            var replaces = other is not null && row.IsLaterThan(current!);
            facts = facts with { Totals = SubmissionTotals.From(valid), Replaced = replaces ? other : null, KeptCurrent = replaces ? null
                : other };
        }

        await WriteTextAsync(jsonKey, ReceiptJson.Write(report, facts, _options.ContractUrl), cancellationToken).ConfigureAwait(false);
        await WriteTextAsync(htmlKey, ReceiptHtml.Render(report, facts, _options.ContractUrl), cancellationToken).ConfigureAwait(false);
        await FaultAsync(ProcessingStep.ReceiptWritten, cancellationToken).ConfigureAwait(false);

        // The submitter's receipt is written to the outbox in the transaction that records the outcome (never one without the other).
        var summary = ValidationSummary.From(report) with
        {
            Notifications = SubmissionReceipts.For(
                row.Id, row.FileName, row.OrganisationCode, Period.Parse(row.ReportingPeriod), report, htmlKey, _time.GetUtcNow(), facts,
                    _options.ContractUrl),
        };
        if (validation.Submission is not { } submission)
        {
            return new Prepared(Result(row, ProcessingOutcome.Rejected, report) with { ReceiptJsonKey = jsonKey, ReceiptHtmlKey = htmlKey },
                null, summary, null);
        }

        var becomesCurrent = current is null || current.Id == row.Id || row.IsLaterThan(current);
        await _lake.WriteAsync(row.Id, submission, becomesCurrent, cancellationToken).ConfigureAwait(false);
        await FaultAsync(ProcessingStep.LakeWritten, cancellationToken).ConfigureAwait(false);
        return new Prepared(null, new PendingLoad(row, key, new AcceptedLoad(row.Id, submission, summary), report, jsonKey, htmlKey), null, null);
    }

    // After the load committed: the fault point, the lake tidy, and the file's result.
    private async Task<ProcessingResult> CompleteAsync(PendingLoad pending, LoadResult load, CancellationToken cancellationToken)
    {
        var (row, period) = (pending.Row, pending.Load.Submission.ReportingPeriod);
        await FaultAsync(ProcessingStep.Loaded, cancellationToken).ConfigureAwait(false);
        await TidyLakeAsync(row.OrganisationCode, period, cancellationToken).ConfigureAwait(false);

        var accepted = load.Status == SubmissionStatus.Accepted;
        return Result(row, accepted ? ProcessingOutcome.Accepted : ProcessingOutcome.Superseded, pending.Report) with
        {
            ReceiptJsonKey = pending.JsonKey,
            ReceiptHtmlKey = pending.HtmlKey,
            LakeKey = MeasureLake.KeyFor(accepted ? MeasureLake.CurrentRoot : MeasureLake.SupersededRoot, row.OrganisationCode, period, row.Id),
            Replaced = load.Replaced,
        };
    }

    // A settled submission still gets its lake partition tidied: the earlier run may have died between SQL and the tidy.
    private async Task<ProcessingResult> AlreadyProcessedAsync(SubmissionRecord row, CancellationToken cancellationToken)
    {
        var outcome = OutcomeOf(row);
        if (outcome is ProcessingOutcome.Accepted or ProcessingOutcome.Superseded && Period.TryParse(row.ReportingPeriod, out var period))
        {
            await TidyLakeAsync(row.OrganisationCode, period, cancellationToken).ConfigureAwait(false);
        }

        var hasReceipt = outcome is not ProcessingOutcome.Quarantined;
        return Result(row, outcome, message: row.FailureReason) with
        {
            AlreadyProcessed = true,
            ErrorCount = row.ErrorCount,
            WarningCount = row.WarningCount,
            ReceiptJsonKey = hasReceipt ? ReceiptKey(row.OrganisationCode, row.ReportingPeriod, row.ReceivedAt, "json") : null,
            ReceiptHtmlKey = hasReceipt ? ReceiptKey(row.OrganisationCode, row.ReportingPeriod, row.ReceivedAt, "html") : null,
        };
    }

    /// <summary>
    /// Tidies every lake partition holding more than one file (what a process killed between the SQL load and the tidy leaves
    /// behind). Hosts run it at start; it returns the number of partitions it tidied.
    /// </summary>
    public Task<int> TidyLakeAsync(CancellationToken cancellationToken) => _tidier.TidyAllAsync(cancellationToken);

    private static ProcessingOutcome OutcomeOf(SubmissionRecord row) => row.Status switch
    {
        SubmissionStatus.Accepted => ProcessingOutcome.Accepted,
        SubmissionStatus.Superseded => ProcessingOutcome.Superseded,
        SubmissionStatus.Rejected => ProcessingOutcome.Rejected,
        SubmissionStatus.Failed when row.QuarantinePath is not null => ProcessingOutcome.Quarantined,
        _ => ProcessingOutcome.Failed,
    };

    private Task TidyLakeAsync(string organisationCode, Period period, CancellationToken cancellationToken) =>
        _tidier.TidyAsync(organisationCode, period, cancellationToken);

    private async Task<ProcessingResult> QuarantineAsync(SubmissionRecord row, string key, string reason, CancellationToken cancellationToken)
    {
        await _quarantine.PutAsync(row, key, reason, cancellationToken).ConfigureAwait(false);
        return Result(row, ProcessingOutcome.Quarantined, message: reason);
    }

    private async Task<ProcessingResult> RefuseUnreadableAsync(SubmissionRecord row, string key, string reason, CancellationToken cancellationToken)
    {
        await _quarantine.RefuseUnreadableAsync(row, key, reason, cancellationToken).ConfigureAwait(false);
        return Result(row, ProcessingOutcome.Quarantined, message: reason);
    }

    private string FailedTooOften(int attempts, string lastError) =>
        $"processing failed {attempts} time(s) (limit {_options.MaxAttempts}); last error: {lastError}";

    private static ProcessingResult Result(SubmissionRecord row, ProcessingOutcome outcome, ValidationReport? report = null, string? message = null) =>
        new(row.SourcePath, row.Id, outcome, row.OrganisationCode, row.ReportingPeriod, report?.RowCount ?? 0, report?.ErrorCount ?? 0,
            report?.WarningCount ?? 0, AlreadyProcessed: false, Message: message);

    private async Task WriteTextAsync(string key, string text, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await _objects.WriteAsync(key, buffer, cancellationToken).ConfigureAwait(false);
    }

    private Task FaultAsync(ProcessingStep step, CancellationToken cancellationToken) =>
        _faultHook is null ? Task.CompletedTask : _faultHook(step, cancellationToken);
}
