using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Validation;

/// <summary>Limits applied to every file (configurable per deployment).</summary>
public sealed record ValidationOptions
{
    public long MaxFileBytes { get; init; } = 20 * 1024 * 1024;

    public int MaxMeasureRows { get; init; } = 100_000;

    public int MaxExamplesPerCode { get; init; } = 50;

    /// <summary>The first month accepted (default 2015-04, when the Maternity Services Data Set's current form began).</summary>
    public Period EarliestPeriod { get; init; } = new(2015, 4);

    /// <summary>
    /// Whether the mailer can send to a <c>submitted_by</c> address. Hosts pass the mailer's own parser, so an address the
    /// validator accepts is one the receipt can go to; null checks only the schema's pattern.
    /// </summary>
    public Func<string, bool>? IsDeliverableAddress { get; init; }

    /// <summary>
    /// Judges every measure row with the general JSON-schema validator, as before the fast row check existed; for the tests
    /// and benchmarks that prove the fast check gives the same reports.
    /// </summary>
    internal bool GeneralSchemaOnly { get; init; }
}

/// <param name="FileName">The submitted file's name; its extension chooses the format.</param>
/// <param name="SizeBytes">The size the store reports; a file over the limit is refused without being read.</param>
/// <param name="DropPath">Where the trust dropped it, when known: the content must agree with the folder.</param>
public sealed record SubmissionInput(string FileName, long SizeBytes, DropPath? DropPath);

/// <param name="Submission">The typed submission; non-null exactly when the report's outcome is accepted (with or without warnings).</param>
public sealed record ValidationResult(ValidationReport Report, Submission? Submission);

/// <summary>
/// The one entry point for judging a submitted file: reads it in its format (streaming), checks it against the JSON
/// schema and every contract rule, and returns the report (and the typed submission when accepted). A user's file never
/// makes this throw: every problem with its content becomes an issue in the report. Failures of the stream itself
/// (an <see cref="IOException"/> from the store) and cancellation do propagate: they are the environment's, not the file's.
/// Safe to call concurrently: each call has its own state.
/// </summary>
public sealed class SubmissionValidator(ReferenceData reference, ValidationOptions options, TimeProvider time)
{
    public async Task<ValidationResult> ValidateAsync(Stream content, SubmissionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(input);
        var issues = new IssueCollector(options.MaxExamplesPerCode);
        var format = SubmissionFormats.FromFileName(input.FileName);
        var formatName = format?.WireName() ?? (Path.GetExtension(input.FileName) is { Length: > 1 } ext ? ext[1..].ToLowerInvariant() : "unknown");
        if (format is null)
        {
            issues.Add(ErrorCatalogue.UnsupportedFormat, new IssueLocation(), input.FileName, null,
                Args.Of("extension", Path.GetExtension(input.FileName) is { Length: > 0 } e ? e : "(no extension)"));
            return Result(input, formatName, issues, null, null);
        }

        if (input.SizeBytes > options.MaxFileBytes)
        {
            issues.Add(ErrorCatalogue.FileTooLarge, new IssueLocation(), null, null,
                Args.Of("size", ErrorCatalogue.Bytes(input.SizeBytes)), Args.Of("limit", ErrorCatalogue.Bytes(options.MaxFileBytes)));
            return Result(input, formatName, issues, null, null);
        }

        var schema = await SubmissionSchema.LoadAsync().ConfigureAwait(false);
        var checker = new SubmissionChecker(schema, reference, options, time, input, issues);
        var limited = new SizeLimitedStream(content, options.MaxFileBytes);
        try
        {
            await ReaderFor(format.Value, options).ReadAsync(limited, checker, cancellationToken).ConfigureAwait(false);
        }
        catch (SizeLimitedStream.LimitExceededException)
        {
            checker.Stop();
            issues.Add(ErrorCatalogue.FileTooLarge, new IssueLocation(), null, null,
                Args.Of("size", "more than " + ErrorCatalogue.Bytes(options.MaxFileBytes)), Args.Of("limit", ErrorCatalogue.Bytes(options.MaxFileBytes)));
        }

        var submission = checker.Finish();
        return Result(input, formatName, issues, checker, submission);
    }

    private static ISubmissionReader ReaderFor(SubmissionFormat format, ValidationOptions options) => format switch
    {
        SubmissionFormat.Json => new JsonSubmissionReader(),
        SubmissionFormat.Csv => new CsvSubmissionReader(),
        SubmissionFormat.Xlsx => new XlsxSubmissionReader(options),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static ValidationResult Result(SubmissionInput input, string format, IssueCollector issues, SubmissionChecker? checker, Submission? submission)
    {
        var outcome = issues.HasErrors ? ValidationOutcome.Rejected
            : issues.WarningCount > 0 ? ValidationOutcome.AcceptedWithWarnings
            : ValidationOutcome.Accepted;
        string? Envelope(string field) => checker?.EnvelopeText(field) is { } text
            ? field == SubmissionFields.SubmittedBy ? SubmitterText.EchoSender(text) : SubmitterText.Echo(text)
            : null;
        var report = new ValidationReport(
            SubmitterText.Echo(input.FileName),
            format,
            Envelope(SubmissionFields.OrganisationCode),
            Envelope(SubmissionFields.ReportingPeriod),
            Envelope(SubmissionFields.SubmittedBy),
            input.SizeBytes,
            checker?.RowCount ?? 0,
            outcome,
            issues.ErrorCount,
            issues.WarningCount,
            issues.Groups());
        return new ValidationResult(report, outcome == ValidationOutcome.Rejected ? null : submission);
    }
}
