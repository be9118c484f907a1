using System.Globalization;
using System.Text.RegularExpressions;
using NJsonSchema;
using NJsonSchema.Validation;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Validation;

/// <summary>
/// The contract file <c>schemas/equity-submission.v1.schema.json</c> (embedded), applied with NJsonSchema: the envelope
/// against the top level, each measure row against <c>#/definitions/measure</c> as it streams past, so every format is
/// judged by the same schema without building the whole document. NJsonSchema's errors become catalogue issues with
/// the submitter's location and a fix.
/// </summary>
internal sealed partial class SubmissionSchema
{
    public const string ResourceName = "schemas/equity-submission.v1.schema.json";

    private static readonly Lazy<Task<SubmissionSchema>> Embedded = new(LoadEmbeddedAsync);

    private readonly JsonSchema _document;
    private readonly JsonSchema _measure;
    private readonly MeasureRowCheck? _fastMeasure;

    private SubmissionSchema(JsonSchema document, MeasureRowCheck? fastMeasure)
    {
        _document = document;
        _measure = document.Definitions["measure"];
        _fastMeasure = fastMeasure;
    }

    public static Task<SubmissionSchema> LoadAsync() => Embedded.Value;

    [GeneratedRegex(@"^\d{1,3}([, \u00A0]\d{3})+$", RegexOptions.CultureInvariant)]
    private static partial Regex ThousandsSeparated();

    /// <summary>
    /// A validator for one file's checks. The schema objects are shared by every caller; NJsonSchema's validator is
    /// not documented as thread-safe, so each validation gets its own.
    /// </summary>
    public static JsonSchemaValidator NewValidator() => new();

    /// <summary>Checks one measure row; returns the fields that have a problem (including those the reader reported).</summary>
    /// <param name="generalOnly">Skip the fast check and judge the row with the general validator (tests and benchmarks).</param>
    public IReadOnlySet<string> CheckMeasure(
        JsonSchemaValidator validator, RawRecord record, IssueCollector issues, string? rowKey, bool generalOnly = false) =>
        // The fast check vouches only for rows the general validator finds nothing in: the result is the same, and every
        // row with a problem is still worded by the general one.
        !generalOnly && _fastMeasure is not null && _fastMeasure.Accepts(record)
            ? record.Reported
            : Check(validator, _measure, record, issues, rowKey);

    /// <summary>Checks the envelope (the measures themselves are checked row by row, so only their presence is judged here).</summary>
    public HashSet<string> CheckEnvelope(JsonSchemaValidator validator, RawRecord record, IssueCollector issues) =>
        Check(validator, _document, record, issues, null);

    private static HashSet<string> Check(JsonSchemaValidator validator, JsonSchema schema, RawRecord record, IssueCollector issues, string? rowKey)
    {
        var bad = new HashSet<string>(record.Reported, StringComparer.Ordinal);
        foreach (var error in validator.Validate(record.Values, schema))
        {
            var field = error.Property ?? FieldOf(error.Path);
            if (record.Reported.Contains(field) ||
                (record.Index is null && field == SubmissionFields.Measures && error.Kind == ValidationErrorKind.TooFewItems))
            {
                // Reported by the reader already; an empty measures list is the "no measures" rule's to report.
                continue;
            }

            bad.Add(field);
            Translate(error, field, record, issues, rowKey);
        }

        return bad;
    }

    private static void Translate(ValidationError error, string field, RawRecord record, IssueCollector issues, string? rowKey)
    {
        var location = field.Length == 0 ? record.Locator.Record : record.Locator.Field(field);
        var text = record.Text(field);
        var name = Arg("field", field);
        var hint = Arg("hint", FieldGuide.Hint(field));
        switch (error.Kind)
        {
            case ValidationErrorKind.PropertyRequired:
                issues.Add(ErrorCatalogue.MissingValue, location, null, rowKey, name, hint);
                break;
            case ValidationErrorKind.StringExpected or ValidationErrorKind.IntegerExpected or ValidationErrorKind.NumberExpected
                or ValidationErrorKind.ArrayExpected or ValidationErrorKind.ObjectExpected or ValidationErrorKind.BooleanExpected:
                var (why, fix) = CountAdvice(field, text ?? string.Empty);
                issues.Add(ErrorCatalogue.WrongType, location, text, rowKey, name,
                    Arg("expected", Expected(error.Kind)), Arg("why", why), Arg("hint", fix ?? FieldGuide.Hint(field)));
                break;
            case ValidationErrorKind.NumberTooSmall:
                issues.Add(ErrorCatalogue.NegativeNumber, location, text, rowKey, name, hint);
                break;
            case ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig:
                issues.Add(ErrorCatalogue.NumberTooLarge, location, text, rowKey, name,
                    Arg("maximum", (error.Schema?.Maximum ?? 0m).ToString("N0", CultureInfo.InvariantCulture)), hint);
                break;
            case ValidationErrorKind.NoAdditionalPropertiesAllowed:
                var meant = Suggestions.Header(field) is { } known && record.Text(known) is null ? known : null;
                issues.Add(ErrorCatalogue.UnknownField, location, text, rowKey, name,
                    Arg("suggestion", meant is null ? string.Empty : $" Did you mean {meant}?"),
                    Arg("hint", ErrorCatalogue.UnknownFieldHint(meant is null ? null : $"to {meant}")));
                break;
            default:
                // Pattern, enumeration, length and format: the value is of the right kind but not an allowed one.
                var meaning = text is null ? null
                    : field == SubmissionFields.Group ? GroupSuggestion(text, record.Text(SubmissionFields.Breakdown))
                    : field == SubmissionFields.Indicator ? Suggestions.Indicator(text, Reference.ReferenceData.Embedded)
                    : null;
                var groupHint = meaning is null ? hint : Arg("hint", $"Did you mean {meaning}? {FieldGuide.Hint(field)}");
                issues.Add(ErrorCatalogue.InvalidValue, location, text, rowKey, name, Arg("expected", FieldGuide.Expected(field)), groupHint);
                break;
        }
    }

    /// <summary>"'A' (White - British)" for a group written as its label or in the wrong case; null when nothing fits.</summary>
    private static string? GroupSuggestion(string text, string? breakdown) =>
        breakdown is "ethnic_category" or null && Suggestions.EthnicCategory(text, Reference.ReferenceData.Embedded) is { } code
            ? $"'{code}' ({Reference.ReferenceData.Embedded.FindEthnicCategory(code)!.Label})"
            : text.Trim().Equals("u", StringComparison.Ordinal) ? "'U'"
            : text.Trim().Equals("ALL", StringComparison.OrdinalIgnoreCase) && text.Trim() != "all" ? "'all'"
            : null;

    /// <summary>Why a count cell is not a count, in the analyst's terms: a percentage, a rate, a thousands separator, a suppression mark.</summary>
    private static (string Why, string? Fix) CountAdvice(string field, string text)
    {
        if (!SubmissionFields.IsCount(field))
        {
            return (string.Empty, null);
        }

        var trimmed = text.Trim();
        if (trimmed.FirstOrDefault(c => char.IsDigit(c) && !char.IsAsciiDigit(c)) is var digit and not '\0')
        {
            return ($" It contains the digit '{digit}' (U+{(int)digit:X4}) from another script, which is not read as a number.",
                $"Type the {field} with the digits 0 to 9 only (for example {(int)char.GetNumericValue(digit)} for '{digit}').");
        }

        if (trimmed.EndsWith('%'))
        {
            return (" It looks like a percentage.", $"Enter the {field} as a count of records, not a percentage; the pipeline works out rates itself.");
        }

        if (trimmed.Contains('.', StringComparison.Ordinal) && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return (" Counts are whole numbers; this looks like a rate or a percentage.", $"Enter the {field} as a whole-number count of records, not a rate or percentage.");
        }

        if (ThousandsSeparated().IsMatch(trimmed))
        {
            var digits = new string([.. trimmed.Where(char.IsAsciiDigit)]);
            return (" The thousands separator makes it text.", $"Write the number without commas or spaces, for example {digits}.");
        }

        if (trimmed is "*" or "x" or "X" or "c" or "-" or "~" || trimmed.StartsWith('<') || trimmed.Equals("n/a", StringComparison.OrdinalIgnoreCase)
            || trimmed.Contains("suppress", StringComparison.OrdinalIgnoreCase))
        {
            return (" It looks like a suppression or missing-value mark.",
                "Send the actual count, however small: submissions are not published, and small numbers are suppressed before anything leaves the pipeline. Use 0 for none.");
        }

        return (string.Empty, null);
    }

    private static string Expected(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.StringExpected => "text",
        ValidationErrorKind.IntegerExpected => "a whole number",
        ValidationErrorKind.NumberExpected => "a number",
        ValidationErrorKind.ArrayExpected => "a list",
        ValidationErrorKind.ObjectExpected => "an object",
        _ => "true or false",
    };

    private static string FieldOf(string? path) =>
        path is null ? string.Empty : path.TrimStart('#').Trim('/').Split('/')[0];

    private static KeyValuePair<string, string> Arg(string name, string value) => KeyValuePair.Create(name, value);

    private static async Task<SubmissionSchema> LoadEmbeddedAsync()
    {
        using var stream = typeof(SubmissionSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The schema '{ResourceName}' is not embedded in Pipeline.Core.");
        using var reader = new StreamReader(stream);
        var json = await reader.ReadToEndAsync().ConfigureAwait(false);
        return new SubmissionSchema(await JsonSchema.FromJsonAsync(json).ConfigureAwait(false), MeasureRowCheck.FromSchema(json));
    }

    /// <summary>The schema text shipped in this build (for documentation and tests).</summary>
    public JsonSchema Document => _document;
}
